// Local names within one frame: how often a name is bound and used, and the value of a name bound once.
import { identifiersNamed } from './compact';
import type { SyntaxNode } from './parser';
import type { Scope } from './scopes';

export interface LocalBinding {
  /** The right-hand side of the sole plain assignment `name = value`, when bound exactly once. */
  value?: SyntaxNode;
  /** The assignment target node of that assignment. */
  target?: SyntaxNode;
  /** Times the name is bound (assignment, for target, `as`, walrus…); global/nonlocal count as many. */
  bindings: number;
  /** Every occurrence of the identifier in the frame, nested frames included (closures can use it). */
  occurrences: number;
}

const BINDING_PARENTS = new Set(['list_splat_pattern', 'dictionary_splat_pattern', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern_target', 'pattern_list', 'tuple_pattern', 'named_expression', 'list_pattern']);

/** The frame whose locals a scope's names refer to (comprehensions see their enclosing frame's). */
export function frameOf(scope: Scope): Scope {
  let s = scope;
  while (s.kind === 'comprehension' && s.parent) s = s.parent;
  return s;
}

/** Whether an identifier occurrence binds the name (is an assignment target, loop variable, `as` name…). */
function bindingKind(node: SyntaxNode): 'assignment' | 'other' | 'declaration' | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === node.id) return 'assignment';
  if (parent.type === 'global_statement' || parent.type === 'nonlocal_statement') return 'declaration';
  if (BINDING_PARENTS.has(parent.type)) return 'other';
  if (parent.type === 'parameters' || parent.type === 'lambda_parameters' || parent.type === 'default_parameter' || parent.type === 'typed_parameter' || parent.type === 'typed_default_parameter') {
    return parent.childForFieldName('name')?.id === node.id || parent.type === 'parameters' || parent.type === 'lambda_parameters' || parent.type === 'typed_parameter' ? 'other' : undefined;
  }
  return undefined;
}

/** The node of the innermost frame (function, lambda, class, module) an identifier belongs to. */
function ownerFrame(node: SyntaxNode, stop: SyntaxNode): SyntaxNode {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (p.id === stop.id) return stop;
    if (p.type === 'function_definition' || p.type === 'class_definition') {
      // Parameters and body belong to the def; its name, decorators, defaults and bases to the outside.
      const field = child.id === p.childForFieldName('body')?.id ? 'body' : child.id === p.childForFieldName('parameters')?.id ? 'parameters' : undefined;
      if (field === 'body' || (field === 'parameters' && p.type === 'function_definition' && !isDefaultValue(node, child))) return p;
    } else if (p.type === 'lambda') {
      if (child.id === p.childForFieldName('body')?.id || (child.id === p.childForFieldName('parameters')?.id && !isDefaultValue(node, child))) return p;
    }
  }
  return stop;
}

/** Default values in a parameter list are evaluated by the enclosing frame. */
function isDefaultValue(node: SyntaxNode, parameters: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = node; p && p.id !== parameters.id; p = p.parent) {
    const parent = p.parent;
    if (parent && (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === p.id) return true;
  }
  return false;
}

/**
 * How `name` is bound and used in the frame of `scope`. Nested frames that bind the name themselves
 * have their own variable and are not counted; nested frames that only read it count as uses (closures).
 */
export function localBinding(name: string, scope: Scope): LocalBinding {
  const frame = frameOf(scope);
  let perFrame = bindingCache.get(frame);
  if (!perFrame) bindingCache.set(frame, (perFrame = new Map()));
  let cached = perFrame.get(name);
  if (!cached) perFrame.set(name, (cached = computeBinding(name, frame)));
  return cached;
}

/** Scopes live for one analysis, so caches keyed by them die with it (see forgetFrame for the exception). */
const bindingCache = new WeakMap<Scope, Map<string, LocalBinding>>();
const identifierIndex = new WeakMap<Scope, Map<string, SyntaxNode[]>>();

/** A scope is reused by the next version of its module (a unit's shell, scopes.ts): its answers go. */
export function forgetFrame(scope: Scope): void {
  bindingCache.delete(scope);
  identifierIndex.delete(scope);
}

/** Every identifier in a frame's subtree, grouped by name, built once per frame (web-tree-sitter's nodes; see identifiersNamed). */
function identifiersOf(frame: Scope): Map<string, SyntaxNode[]> {
  let index = identifierIndex.get(frame);
  if (!index) {
    index = new Map();
    for (const node of frame.node.descendantsOfType('identifier')) {
      if (!node) continue;
      const list = index.get(node.text);
      if (list) list.push(node); else index.set(node.text, [node]);
    }
    identifierIndex.set(frame, index);
  }
  return index;
}

/** One part of a frame's identifiers, counted on its own (see splitModuleFrame). */
export interface BindingPart {
  occurrences: number;
  bindings: number;
  /** The last plain assignment `name = value` owned by the frame, with its target. */
  value?: SyntaxNode;
  target?: SyntaxNode;
}

/**
 * Where the module frame's identifiers are, when the caller has split them into parts it counts (and
 * caches) separately: module-level statements and each top-level definition. Counting decomposes
 * because a nested frame that shadows a name lies within one part.
 */
export interface ModuleFrameParts {
  /** Calls `visit` with each part's count of `name`, in document order. */
  forEachPart(name: string, visit: (part: BindingPart) => void): void;
}

const splitFrames = new WeakMap<Scope, ModuleFrameParts>();

/** Counts the module frame's bindings part by part from now on (the incremental analysis). */
export function splitModuleFrame(module: Scope, parts: ModuleFrameParts): void {
  splitFrames.set(module, parts);
}

/** Counts `name` among `nodes` (identifiers of one part of `frame`), as computeBinding does for a whole frame. */
export function bindingPart(nodes: readonly SyntaxNode[], frame: SyntaxNode): BindingPart {
  const result: BindingPart = { bindings: 0, occurrences: 0 };
  const occurrences: Array<{ node: SyntaxNode; owner: SyntaxNode; kind: ReturnType<typeof bindingKind> }> = [];
  const shadowing = new Set<number>();
  for (const node of nodes) {
    const owner = ownerFrame(node, frame);
    const kind = bindingKind(node);
    occurrences.push({ node, owner, kind });
    if (owner.id !== frame.id && (kind === 'assignment' || kind === 'other')) shadowing.add(owner.id);
  }
  for (const { node, owner, kind } of occurrences) {
    if (owner.id !== frame.id) {
      if (shadowing.has(owner.id)) continue;
      result.occurrences++;
      // `global`/`nonlocal` in a nested frame: it may rebind ours.
      if (kind === 'declaration') result.bindings += 2;
      continue;
    }
    result.occurrences++;
    if (kind === 'assignment') {
      result.bindings++;
      result.value = node.parent!.childForFieldName('right') ?? undefined;
      result.target = node;
    } else if (kind) {
      result.bindings += 2;
    }
  }
  return result;
}

function computeBinding(name: string, frame: Scope): LocalBinding {
  const result: LocalBinding = { bindings: 0, occurrences: 0 };
  const add = (part: BindingPart): void => {
    result.bindings += part.bindings;
    result.occurrences += part.occurrences;
    if (part.value || part.target) { result.value = part.value; result.target = part.target; }
  };
  const split = splitFrames.get(frame);
  if (split) split.forEachPart(name, add);
  else add(bindingPart(identifiersNamed(frame.node, name) ?? identifiersOf(frame).get(name) ?? [], frame.node));
  if (result.bindings !== 1) { result.value = undefined; result.target = undefined; }
  return result;
}
