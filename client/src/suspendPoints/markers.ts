// A faint `‖` after each line holding a suspend point, from the same `coroscope/suspendPoints` answer as the
// lenses; where the lens set a breakpoint it also says its mode (`‖ breaks on suspend`), which VS Code's
// own breakpoint UI cannot show for breakpoints an extension made. Off with
// `coroscope.decorations.suspendPoints`.
import * as vscode from 'vscode';
import type { LensBreakpoints } from './lensBreakpoints';
import type { BreakpointMode } from './lensModes';
import { markers } from './model';
import type { SuspendPointsSource } from './source';

const SETTING = 'decorations.suspendPoints';
/** Typing should not ask the server on every keystroke. */
const EDIT_DELAY_MS = 300;

class SuspendPointMarkers implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 1.5em', fontStyle: 'normal' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly source: SuspendPointsSource, private readonly breakpoints: LensBreakpoints) {}

  dispose(): void {
    clearTimeout(this.timer);
    this.type.dispose();
  }

  /** Redraws every visible Python editor (now, or after a pause in typing). */
  refresh(delayed = false): void {
    clearTimeout(this.timer);
    if (delayed) this.timer = setTimeout(() => this.refresh(), EDIT_DELAY_MS);
    else for (const editor of vscode.window.visibleTextEditors) void this.draw(editor);
  }

  private async draw(editor: vscode.TextEditor): Promise<void> {
    const document = editor.document;
    if (document.languageId !== 'python') return;
    if (!vscode.workspace.getConfiguration('coroscope', document).get<boolean>(SETTING, true)) {
      editor.setDecorations(this.type, []);
      return;
    }
    const version = document.version;
    const functions = await this.source.get(document);
    // An edit arrived while the server answered: the next refresh draws that version.
    if (document.version !== version || document.isClosed) return;
    const modes = new Map<number, BreakpointMode>(this.breakpoints.inDocument(document.uri).filter((b) => b.breakpoint.enabled).map((b) => [b.line, b.mode]));
    const decorations = markers(functions, modes).filter((m) => m.line < document.lineCount).map((m): vscode.DecorationOptions => {
      const end = document.lineAt(m.line).range.end;
      return {
        range: new vscode.Range(end, end),
        hoverMessage: new vscode.MarkdownString(m.hover),
        renderOptions: { after: { contentText: m.text } },
      };
    });
    editor.setDecorations(this.type, decorations);
  }
}

/** Registers the markers and what redraws them. */
export function registerSuspendPointMarkers(context: vscode.ExtensionContext, source: SuspendPointsSource, breakpoints: LensBreakpoints): void {
  const markers = new SuspendPointMarkers(source, breakpoints);
  const isPython = (document: vscode.TextDocument) => document.languageId === 'python';
  context.subscriptions.push(
    markers,
    source.onDidChange(() => markers.refresh()),
    breakpoints.onDidChange(() => markers.refresh()),
    vscode.window.onDidChangeVisibleTextEditors(() => markers.refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => { if (isPython(e.document) && e.contentChanges.length) markers.refresh(true); }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`coroscope.${SETTING}`)) markers.refresh(); }),
  );
  markers.refresh();
}
