// How rules follow a call into the function it calls, in this module or another: the call as the module graph
// names it (`helper`, `audit.log`, `this.mailer.send` in class C), the graph's summary of the callee
// (graph/functions.ts), and related locations that name the chain for findings. Memoized per call for the analysis.
import * as ts from 'typescript';
import { strip } from './ast';
import type { Platform, RelatedLocation, Runtime, Span } from '../../../shared/src/types';
import { isSummarizedObject, type BindingUse, type CallRef } from '../graph/functions';
import type { CalleeAnswer } from '../graph/graph';
import type { FileFacts } from './facts';
import type { GraphView } from './rule';
import { relativeTo } from './host';
import { isAsyncBindingCall } from './promises';

/** The graph's answers this needs (ModuleGraph has them; a caller without a graph has none). */
export type CalleeGraph = Required<Pick<GraphView, 'callee' | 'promiseOf' | 'singleton' | 'rangeIn' | 'writesOf' | 'clientOf' | 'sendsOf'>> &
  Pick<GraphView, 'resolvesToFile'>;

export class CrossFile {
  private readonly answers = new Map<ts.Node, CalleeAnswer | null>();
  /** `fromPackage` per import binding: a handler names the same few imports in many calls. */
  private readonly packageRoots = new Map<string, boolean>();

  constructor(
    private readonly graph: CalleeGraph,
    private readonly facts: FileFacts,
    private readonly fileName: string,
    private readonly runtime: Runtime,
    private readonly platform: Platform,
    private readonly projectRoot?: string,
  ) {}

  /** How the graph names a call's callee: a module-scope root and member names, or a chain on `this` in a named class. */
  refOf(call: ts.CallExpression | ts.NewExpression): CallRef | undefined {
    const names: string[] = [];
    let e = strip(call.expression);
    while (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = strip(e.expression);
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      // `this` of the nearest class, unless a function expression in between rebinds it.
      for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
        if (ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n)) return undefined;
        if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n.name && names.length ? { root: 'this', members: names, cls: n.name.text } : undefined;
      }
      return undefined;
    }
    if (!ts.isIdentifier(e)) return undefined;
    const decl = this.facts.moduleScopeDeclaration(e);
    if (!decl || (names.length && this.unsummarized(e.text, decl))) return undefined;
    return { root: e.text, members: names };
  }

  /**
   * Whether a module-level variable is one whose members no summary holds (see `isSummarizedObject`), so that `x.m()`
   * cannot lead to a function of the project: `const app = express()`, a `let`, or an instance of a class this module
   * neither declares nor imports (`new Map()`). Imports (`require()` included) are followed. Asking the graph would
   * summarize the linted module for nothing (most such calls of most handlers).
   */
  private unsummarized(name: string, decl: ts.Declaration): boolean {
    if (!ts.isVariableDeclaration(decl) || this.facts.importOf(name)) return false;
    const init = decl.initializer && strip(decl.initializer);
    if (!init || !isSummarizedObject(init) || !(decl.parent.flags & ts.NodeFlags.Const)) return true;
    return ts.isNewExpression(init) && !this.facts.moduleScopeDeclaration(init.expression);
  }

  /** The summarized function a call leads to, or undefined (a package, a parameter, a computed callee, not summarized). */
  callee(call: ts.CallExpression | ts.NewExpression): CalleeAnswer | undefined {
    const hit = this.answers.get(call);
    if (hit !== undefined) return hit ?? undefined;
    const ref = this.refOf(call);
    const answer = ref && !this.fromPackage(ref) ? this.graph.callee(this.fileName, ref, this.runtime, this.platform) : undefined;
    this.answers.set(call, answer ?? null);
    return answer;
  }

  /**
   * Whether the call's root is imported from a module that resolves to a package (or a builtin): no summary there,
   * and asking the graph would summarize this module's functions for nothing (most calls of most handlers).
   */
  private fromPackage(ref: CallRef): boolean {
    if (ref.root === 'this' || !this.graph.resolvesToFile) return false;
    let known = this.packageRoots.get(ref.root);
    if (known === undefined) {
      const imp = this.facts.importOf(ref.root);
      known = !!imp && imp.info.kind !== 'dynamic-import' && !this.graph.resolvesToFile(imp.info.specifier, this.fileName, this.runtime, this.platform);
      this.packageRoots.set(ref.root, known);
    }
    return known;
  }

  /** Why a call returns a promise according to its callee's summary, with the chain for a finding. */
  promise(call: ts.CallExpression): { why: string; related: RelatedLocation[] } | undefined {
    const answer = this.callee(call);
    if (!answer) return undefined;
    const found = this.graph.promiseOf(answer, this.runtime, this.platform);
    // A call on `env.X` in the helper is a promise when this project's binding X has that asynchronous method.
    if (!found || (found.binding && !this.bindingAsync(found.binding))) return undefined;
    const where = found.fileName === this.fileName ? '' : `${this.show(found.fileName)}: `;
    return {
      why: `${where}${found.why}`,
      related: [
        this.related(call, 'The call in the handler.'),
        this.at(
          answer.fileName,
          answer.facts.at,
          `The function it calls, in ${this.show(answer.fileName)}${found.fileName === answer.fileName && found.at.start === answer.facts.at.start ? ` (${found.why})` : ''}.`,
        ),
        ...(found.at.start === answer.facts.at.start && found.fileName === answer.fileName
          ? []
          : [this.at(found.fileName, found.at, `Where it makes the promise: ${found.why}.`)]),
      ],
    };
  }

  /** The module-scope writes a call makes from its arguments (the callee's, and its callees' it passes them to). */
  writes(call: ts.CallExpression): ReturnType<CalleeGraph['writesOf']> {
    const answer = this.callee(call);
    return answer ? this.graph.writesOf(answer, this.runtime, this.platform) : [];
  }

  /** Which argument of a call its callee always sends the response through (directly or through a helper of its own). */
  sends(call: ts.CallExpression): ReturnType<CalleeGraph['sendsOf']> {
    const answer = this.callee(call);
    return answer ? this.graph.sendsOf(answer, this.runtime, this.platform) : undefined;
  }

  /** The client a call creates on every call (its callee's, or through the calls the callee returns). */
  client(call: ts.CallExpression): ReturnType<CalleeGraph['clientOf']> {
    const answer = this.callee(call);
    return answer ? this.graph.clientOf(answer, this.runtime, this.platform) : undefined;
  }

  /** Whether a helper's `env.X.m()` is asynchronous with this file's bindings (wrangler config, `Env` types). */
  bindingAsync(use: BindingUse): boolean {
    return isAsyncBindingCall(this.facts, use.name, use.names);
  }

  /** The module-level object or instance of the project that an imported name binds, if it is one. */
  singleton(id: ts.Identifier): { fileName: string; kind: 'object' | 'instance'; at: Span } | undefined {
    if (!this.facts.importOf(id.text) || !this.facts.moduleScopeDeclaration(id)) return undefined;
    return this.graph.singleton(this.fileName, id.text, this.runtime, this.platform);
  }

  /** A related location in this file. */
  related(node: ts.Node, message: string): RelatedLocation {
    return { fileName: this.fileName, span: { start: node.getStart(this.facts.sourceFile), end: node.getEnd() }, message };
  }

  /** A related location in another module (its line from the graph) or in this one. */
  at(fileName: string, span: Span, message: string): RelatedLocation {
    return fileName === this.fileName ? { fileName, span, message } : { fileName, span, range: this.graph.rangeIn(fileName, span), message };
  }

  /** A module's path as messages show it: relative to the project. */
  show(fileName: string): string {
    return (this.projectRoot && relativeTo(this.projectRoot, fileName)) || fileName;
  }
}
