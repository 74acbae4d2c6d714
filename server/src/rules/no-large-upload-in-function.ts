// File uploads and large body limits in function code run into the platform's request body limit (4.5 MB on Vercel, 6 MB on Lambda).
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { planLimits, limitsFor } from '../../../shared/src/limits';
import { importedMember } from '../analysis/imports-edit';
import { importSource, stripAwait } from '../analysis/ast';

/** Multipart parsers: using them means files travel through the function. */
const UPLOAD_PACKAGES = new Set(['multer', 'formidable', 'busboy', '@fastify/multipart', 'express-fileupload']);

/** Body parsers whose `limit` option raises the accepted body size. */
const BODY_PARSER_METHODS = new Set(['json', 'urlencoded', 'raw', 'text']);

/**
 * File uploads are reported only where the platform's request body limit is at most this size: a typical photo, PDF or
 * video does not fit. Cloudflare Workers (100 MB) are above it. A tuning threshold of the rule, not a platform limit.
 */
const UPLOAD_HOSTILE_MB = 10;

/** Members of an uploaded `File`/`Blob` whose use shows that a form entry is read as a file. */
const FILE_MEMBERS = new Set(['arrayBuffer', 'stream', 'bytes', 'slice']);

const MB = 1024 * 1024;

/** Parses a size the way the `bytes` package does (`'50mb'`, `'10MB'`, `'500kb'`, `1048576`), in bytes. */
export function parseSize(node: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (!ts.isStringLiteralLike(node)) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(node.text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1024, mb: MB, gb: 1024 * MB, tb: 1024 * 1024 * MB }[unit as 'b'];
  return Number(m[1]) * factor;
}

function propertyNamed(obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return obj.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** Whether an identifier holds the result of `await x.formData()`. */
function isFormData(ctx: RuleContext, id: ts.Identifier): boolean {
  const decl = ctx.facts.symbolOf(id)?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = stripAwait(decl.initializer);
  return ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'formData' && init.arguments.length === 0;
}

function isFileTypeName(t: ts.TypeNode): boolean {
  return ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'File' || t.typeName.text === 'Blob');
}

/** Whether a use of a form entry reads it as a file: `.arrayBuffer()`, `.stream()`, `instanceof File`, `as File`. */
function readsAsFile(use: ts.Node): boolean {
  let n = use;
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isAsExpression(p) && isFileTypeName(p.type)) return true;
  if (ts.isPropertyAccessExpression(p) && p.expression === n && FILE_MEMBERS.has(p.name.text)) return true;
  if (
    ts.isBinaryExpression(p) &&
    p.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
    p.left === n &&
    ts.isIdentifier(p.right) &&
    (p.right.text === 'File' || p.right.text === 'Blob')
  )
    return true;
  return false;
}

/** Whether the result of `form.get('x')` is read as a file, directly or through the local it is stored in. */
function entryReadAsFile(ctx: RuleContext, call: ts.CallExpression): boolean {
  if (readsAsFile(call)) return true;
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) {
    if (ts.isAsExpression(n.parent) && isFileTypeName(n.parent.type)) return true;
    n = n.parent;
  }
  const decl = n.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const scope = decl.parent.parent.parent;
  return !!scope && ctx.facts.referencesOf(decl.name, scope).some(readsAsFile);
}

export default defineRule({
  meta: {
    id: 'no-large-upload-in-function',
    severity: 'warning',
    category: 'limits',
    scope: 'function-code',
    summary: 'Flag file uploads and large body-size limits in function code, where the platform caps request bodies.',
    why:
      'Serverless functions receive the whole request body through the platform, which caps it: 4.5 MB on Vercel Functions (413 FUNCTION_PAYLOAD_TOO_LARGE), ' +
      '6 MB for synchronous AWS Lambda invocations and Netlify Functions (about 4.5 MB of binary after base64). ' +
      'Multipart parsers (multer, formidable, busboy), `request.formData()` files, and body parsers configured with a larger `limit` work locally and fail in production ' +
      'as soon as a user picks a real photo or PDF. The file also occupies function memory and billed time while it streams through.',
    action:
      'Upload from the client straight to object storage (Vercel Blob client uploads, S3 or R2 presigned URLs) and send the function only the object key.',
    bad: [
      {
        fileName: 'app/api/avatar/route.ts',
        platform: 'vercel',
        code: [
          "import { put } from '@vercel/blob';",
          '',
          'export async function POST(request: Request) {',
          '  const form = await request.formData();',
          "  const file = form.get('avatar') as File;",
          "  const blob = await put(`avatars/${file.name}`, file, { access: 'public' });",
          '  return Response.json({ url: blob.url });',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/avatar/route.ts',
        platform: 'vercel',
        code: [
          "import { handleUpload, type HandleUploadBody } from '@vercel/blob/client';",
          '',
          'export async function POST(request: Request) {',
          '  const body = (await request.json()) as HandleUploadBody;',
          '  const result = await handleUpload({',
          '    body,',
          '    request,',
          "    onBeforeGenerateToken: async () => ({ allowedContentTypes: ['image/png', 'image/jpeg'] }),",
          "    onUploadCompleted: async ({ blob }) => console.log('uploaded', blob.url),",
          '  });',
          '  return Response.json(result);',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      bodyLimit: 'A body limit of {{value}} is above the {{limit}}: larger requests are rejected before this code runs; {{advice}}.',
      formDataFile: 'Reading an uploaded file from formData() is capped by the {{limit}}; {{advice}}.',
      uploadParser: 'File uploads parsed with {{package}} in a function are capped by the {{limit}}; {{advice}}.',
    },
    limits: [
      "File uploads (multipart parsers, form files) are reported only where the platform's request body limit is known and at most 10 MB (Vercel, Lambda, Netlify); Cloudflare Workers accept 100 MB and are not reported.",
      'A form entry counts as a file when it is cast to `File`/`Blob`, tested with `instanceof File`, or read with `.arrayBuffer()`, `.stream()`, `.bytes()` or `.slice()`; entries passed on to other functions unread are not followed.',
      'Body limits are read from `express.json/urlencoded/raw/text({ limit })`, `bodyParser.*({ limit })` and the Pages Router `config.api.bodyParser.sizeLimit`, when the value is a literal; Next.js `serverActions.bodySizeLimit` lives in next.config and is not checked here.',
      'Sizes follow the `bytes` package: `mb` is 1,024 × 1,024 bytes.',
    ],
    references: [
      'https://vercel.com/docs/errors/FUNCTION_PAYLOAD_TOO_LARGE',
      'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      'https://docs.netlify.com/build/functions/configuration',
    ],
  },
  appliesTo: (context) => !!planLimits(context.platform.value, context.runtime.value, context.plan.value)?.limits.requestBody,
  create(ctx) {
    const { platform, runtime, plan } = ctx.context;
    const limit = planLimits(platform.value, runtime.value, plan.value)!.limits.requestBody!;
    const limitBytes = limit.value * MB;
    const where = limitsFor(platform.value, runtime.value)?.displayName ?? platform.value;
    const limitText = `${limit.value} MB request body limit of ${where}`;
    const uploadsHostile = limit.value <= UPLOAD_HOSTILE_MB;
    const advice = 'upload from the client straight to object storage (Vercel Blob, S3 or R2 presigned URLs) and send the function only the key';

    // One upload read twice (as a Blob, then for its name) is one problem: the first read of each field is reported.
    const readFields = new Set<string>();
    const firstRead = (form: ts.Identifier, call: ts.CallExpression): boolean => {
      const decl = ctx.facts.symbolOf(form)?.declarations?.[0];
      const field = call.arguments[0];
      const key = `${decl?.pos ?? form.text}\0${field && ts.isStringLiteralLike(field) ? field.text : call.pos}`;
      if (readFields.has(key)) return false;
      readFields.add(key);
      return true;
    };

    const checkLimit = (value: ts.Expression) => {
      const bytes = parseSize(value);
      if (bytes === undefined || bytes <= limitBytes) return;
      ctx.report({
        node: value,
        messageId: 'bodyLimit',
        data: { value: value.getText(ctx.sourceFile), limit: limitText, advice },
      });
    };

    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          const callee = stripAwait(call.expression);
          // express.json({ limit: '50mb' }), bodyParser.urlencoded({ limit }), json({ limit }) from body-parser.
          const member = importedMember(ctx.facts, callee);
          if (member && (member.module === 'express' || member.module === 'body-parser') && BODY_PARSER_METHODS.has(member.name)) {
            const opts = call.arguments[0] && stripAwait(call.arguments[0]);
            const lim = opts && ts.isObjectLiteralExpression(opts) ? propertyNamed(opts, 'limit') : undefined;
            if (lim) checkLimit(stripAwait(lim.initializer));
            return;
          }
          if (!uploadsHostile) return;
          // form.get('file') read as a File.
          if (
            ts.isPropertyAccessExpression(callee) &&
            (callee.name.text === 'get' || callee.name.text === 'getAll') &&
            ts.isIdentifier(callee.expression) &&
            isFormData(ctx, callee.expression) &&
            entryReadAsFile(ctx, call)
          ) {
            if (firstRead(callee.expression, call)) ctx.report({ node: call, messageId: 'formDataFile', data: { limit: limitText, advice } });
            return;
          }
          reportParser(call);
        },
        [ts.SyntaxKind.NewExpression]: (node) => {
          if (uploadsHostile) reportParser(node);
        },
        [ts.SyntaxKind.VariableStatement]: (st) => {
          // Pages Router: export const config = { api: { bodyParser: { sizeLimit: '10mb' } } }.
          if (!ts.isSourceFile(st.parent) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
          for (const d of st.declarationList.declarations) {
            if (!ts.isIdentifier(d.name) || d.name.text !== 'config' || !d.initializer) continue;
            const cfg = stripAwait(d.initializer);
            const api = ts.isObjectLiteralExpression(cfg) ? propertyNamed(cfg, 'api') : undefined;
            const parser = api && ts.isObjectLiteralExpression(api.initializer) ? propertyNamed(api.initializer, 'bodyParser') : undefined;
            const size = parser && ts.isObjectLiteralExpression(parser.initializer) ? propertyNamed(parser.initializer, 'sizeLimit') : undefined;
            if (size) checkLimit(stripAwait(size.initializer));
          }
        },
      },
    };

    /** `multer(...)`, `formidable(...)`, `new IncomingForm()`, `busboy({ headers })`: a multipart parser is constructed. */
    function reportParser(call: ts.CallExpression | ts.NewExpression): void {
      // Only the parser itself: `multer.diskStorage()` configures storage and is not a second upload.
      let root: ts.Expression = stripAwait(call.expression);
      if (ts.isNewExpression(call)) while (ts.isPropertyAccessExpression(root)) root = root.expression;
      if (!ts.isIdentifier(root)) return;
      const src = importSource(ctx.facts, root);
      if (!src || !UPLOAD_PACKAGES.has(src.specifier)) return;
      ctx.report({
        node: call.expression,
        messageId: 'uploadParser',
        data: { package: src.specifier, limit: limitText, advice },
      });
    }
  },
});
