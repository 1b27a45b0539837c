// Blocking calls inside coroutines, by category (one rule each, CORO300–305). A call blocks the whole
// event loop — every other task — until it returns. Recognised by qualified name through the imports,
// and for methods by what the receiver was bound to (`lock = threading.Lock()` … `lock.acquire()`).
import { rangeOf, type RuleContext } from './context';
import { importInsertionLine } from './edits';
import { clip } from './facts';
import { calleeName } from './imports';
import { localBinding } from './locals';
import type { SyntaxNode } from './parser';
import type { Scope } from './scopes';
import type { Fix, Position, RuleMeta } from './types';

export type BlockingCategory = 'sleep' | 'http' | 'process' | 'file' | 'input' | 'sync-primitive';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Blocking functions by qualified name. */
const FUNCTIONS = new Map<string, BlockingCategory>(Object.entries({
  'time.sleep': 'sleep',
  ...Object.fromEntries(HTTP_VERBS.map((v) => [`requests.${v}`, 'http'])),
  ...Object.fromEntries([...HTTP_VERBS, 'stream'].map((v) => [`httpx.${v}`, 'http'])),
  'urllib.request.urlopen': 'http', 'urllib3.request': 'http', 'urllib.request.urlretrieve': 'http',
  'http.client.HTTPConnection': 'http', 'http.client.HTTPSConnection': 'http',
  'subprocess.run': 'process', 'subprocess.call': 'process', 'subprocess.check_call': 'process',
  'subprocess.check_output': 'process', 'subprocess.getoutput': 'process', 'subprocess.getstatusoutput': 'process',
  'os.system': 'process', 'os.popen': 'process', 'os.wait': 'process', 'os.wait3': 'process', 'os.wait4': 'process',
  'os.waitpid': 'process', 'os.waitid': 'process',
  ...Object.fromEntries(['spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe'].map((f) => [`os.${f}`, 'process'])),
  'open': 'file', 'io.open': 'file', 'codecs.open': 'file', 'builtins.open': 'file',
  'input': 'input', 'builtins.input': 'input',
} satisfies Record<string, BlockingCategory>));

/** Blocking methods by the qualified name of the constructor their receiver came from. */
const METHODS = new Map<string, { methods: string[]; category: BlockingCategory }>(Object.entries({
  'subprocess.Popen': { methods: ['wait', 'communicate'], category: 'process' },
  'pathlib.Path': { methods: ['read_text', 'read_bytes', 'write_text', 'write_bytes', 'open'], category: 'file' },
  'pathlib.PurePath': { methods: [], category: 'file' },
  'requests.Session': { methods: HTTP_VERBS, category: 'http' },
  'httpx.Client': { methods: [...HTTP_VERBS, 'send', 'stream'], category: 'http' },
  'threading.Lock': { methods: ['acquire'], category: 'sync-primitive' },
  'threading.RLock': { methods: ['acquire'], category: 'sync-primitive' },
  'threading.Semaphore': { methods: ['acquire'], category: 'sync-primitive' },
  'threading.BoundedSemaphore': { methods: ['acquire'], category: 'sync-primitive' },
  'threading.Event': { methods: ['wait'], category: 'sync-primitive' },
  'threading.Condition': { methods: ['wait', 'wait_for', 'acquire'], category: 'sync-primitive' },
  'threading.Barrier': { methods: ['wait'], category: 'sync-primitive' },
  'threading.Thread': { methods: ['join'], category: 'sync-primitive' },
  'queue.Queue': { methods: ['get', 'put', 'join'], category: 'sync-primitive' },
  'queue.LifoQueue': { methods: ['get', 'put', 'join'], category: 'sync-primitive' },
  'queue.PriorityQueue': { methods: ['get', 'put', 'join'], category: 'sync-primitive' },
  'queue.SimpleQueue': { methods: ['get', 'put'], category: 'sync-primitive' },
} satisfies Record<string, { methods: string[]; category: BlockingCategory }>));

/** What a blocking call is, for messages. */
export interface BlockingCall {
  category: BlockingCategory;
  /** `time.sleep`, `threading.Lock.acquire`… */
  name: string;
}

function keywordValue(call: SyntaxNode, name: string): string | undefined {
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value')?.text;
  }
  return undefined;
}

/** The constructor a receiver expression came from: `Path(...)` directly, or a name bound once to it (locally or at module level). */
function receiverClass(object: SyntaxNode, scope: Scope, ctx: RuleContext): string | undefined {
  if (object.type === 'call') return calleeName(object, ctx.facts.imports);
  if (object.type !== 'identifier') return undefined;
  let binding = localBinding(object.text, scope);
  if (binding.bindings === 0 && ctx.scopes.module !== scope) binding = localBinding(object.text, ctx.scopes.module);
  const value = binding.value;
  return value?.type === 'call' ? calleeName(value, ctx.facts.imports) : undefined;
}

/** If `call` blocks the event loop, how. */
export function blockingCall(call: SyntaxNode, scope: Scope, ctx: RuleContext): BlockingCall | undefined {
  const name = calleeName(call, ctx.facts.imports);
  const category = name ? FUNCTIONS.get(name) : undefined;
  if (name && category) return { category, name };
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text;
  const object = fn.childForFieldName('object');
  if (!method || !object) return undefined;
  let cls = receiverClass(object, scope, ctx);
  if (cls === 'Path' || cls === 'pathlib.PosixPath' || cls === 'pathlib.WindowsPath') cls = 'pathlib.Path';
  const entry = cls ? METHODS.get(cls) : undefined;
  if (!entry || !entry.methods.includes(method)) return undefined;
  // Non-blocking forms of the same methods.
  if (keywordValue(call, 'block') === 'False' || keywordValue(call, 'blocking') === 'False' || keywordValue(call, 'timeout') === '0') return undefined;
  if (entry.category === 'sync-primitive' && method === 'acquire' && call.childForFieldName('arguments')?.namedChildren[0]?.text === 'False') return undefined;
  return { category: entry.category, name: `${cls}.${method}` };
}

/** The frame a call runs in, if it is an async def (its own body or comprehensions). */
function asyncFrame(scope: Scope): boolean {
  let frame = scope;
  while (frame.kind === 'comprehension' && frame.parent) frame = frame.parent;
  return frame.kind === 'function' && frame.isAsync;
}

/** The local spelling of asyncio, and an edit adding `import asyncio` when there is none. */
function asyncioAccess(ctx: RuleContext): { name: string; importEdit?: Fix['edits'][number] } {
  for (const [local, qualified] of ctx.facts.imports) if (qualified === 'asyncio') return { name: local };
  const at: Position = { line: importInsertionLine(ctx), character: 0 };
  return { name: 'asyncio', importEdit: { range: { start: at, end: at }, newText: 'import asyncio\n' } };
}

function fixesFor(ctx: RuleContext, call: SyntaxNode, found: BlockingCall): Fix[] | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || args.type !== 'argument_list') return undefined;
  // `await` must be legal where the call is; the parent expression keeps its meaning with an await in place.
  const { name: asyncio, importEdit } = asyncioAccess(ctx);
  const extra = importEdit ? [importEdit] : [];
  const inner = args.text.slice(1, -1).trim();
  if (found.category === 'sleep') {
    return [{ title: `Use \`await ${asyncio}.sleep(...)\``, preferred: true, edits: [...extra, { range: rangeOf(call), newText: `await ${asyncio}.sleep(${inner})` }] }];
  }
  if (found.category === 'sync-primitive') return undefined;
  if (found.name === 'open' || found.name.endsWith('.open') || found.name.startsWith('http.client.')) return undefined;
  return [{
    title: `Run in a thread: \`await ${asyncio}.to_thread(${clip(fn.text, 30)}, ...)\``,
    edits: [...extra, { range: rangeOf(call), newText: `await ${asyncio}.to_thread(${fn.text}${inner ? ', ' + inner : ''})` }],
  }];
}

const ADVICE: Record<BlockingCategory, string> = {
  sleep: 'use `await asyncio.sleep(...)`',
  http: 'use an async HTTP client (aiohttp, httpx.AsyncClient) or `await asyncio.to_thread(...)`',
  process: 'use `asyncio.create_subprocess_exec` or `await asyncio.to_thread(...)`',
  file: 'move the file work to `await asyncio.to_thread(...)` (or use aiofiles)',
  input: 'read input with `await asyncio.to_thread(input, ...)`',
  'sync-primitive': 'use the asyncio equivalent (asyncio.Lock/Event/Condition/Semaphore/Queue) or `asyncio.to_thread`',
};

/** Blocking calls in coroutines, found once per analysis and shared by the six rules. */
const blockingCache = new WeakMap<RuleContext['scopes'], Array<{ call: SyntaxNode; found: BlockingCall }>>();

function blockingCallsInCoroutines(ctx: RuleContext): Array<{ call: SyntaxNode; found: BlockingCall }> {
  let list = blockingCache.get(ctx.scopes);
  if (!list) {
    list = [];
    for (const scope of ctx.scopes.all) {
      if (!asyncFrame(scope)) continue;
      for (const call of scope.calls) {
        const b = blockingCall(call, scope, ctx);
        if (b) list.push({ call, found: b });
      }
    }
    blockingCache.set(ctx.scopes, list);
  }
  return list;
}

/** Reports every blocking call of one category in coroutines. */
export function checkBlocking(ctx: RuleContext, category: BlockingCategory, meta: RuleMeta): void {
  for (const { call, found } of blockingCallsInCoroutines(ctx)) {
    if (found.category !== category) continue;
    ctx.report({
      code: meta.code, severity: meta.severity, range: rangeOf(call),
      message: `\`${found.name}()\` blocks the event loop (every task stalls until it returns): ${ADVICE[category]}`,
      fixes: fixesFor(ctx, call, found),
    });
  }
}
