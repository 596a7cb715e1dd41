// Local ESLint rule: every HTTP route of a NestJS controller is guarded or explicitly public.
//
// A route passes when its controller class or the handler itself carries `@UseGuards(...)`, or
// `@PublicEndpoint('why')` (libs/platform/src/public-endpoint.ts) with a non-empty reason:
// platform callbacks (they check the platform's signature themselves), /health and /metrics.
// Handlers without an HTTP route decorator (`@MessagePattern`, `@EventPattern`) are NATS
// request/reply and events; who may call them is decided by the NATS identities
// (docs/adr/0012-nats-identities-generated-permissions.md), so the rule leaves them alone.

const HTTP_ROUTES = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Search', 'Sse']);

function decoratorName(d) {
  const e = d.expression;
  if (e.type === 'CallExpression') {
    if (e.callee.type === 'Identifier') return e.callee.name;
    if (e.callee.type === 'MemberExpression' && e.callee.property.type === 'Identifier') return e.callee.property.name;
  }
  if (e.type === 'Identifier') return e.name;
  return undefined;
}

function find(decorators, name) {
  return (decorators ?? []).find((d) => decoratorName(d) === name);
}

function publicReasonOk(d) {
  const e = d.expression;
  if (e.type !== 'CallExpression' || e.arguments.length !== 1) return false;
  const a = e.arguments[0];
  if (a.type === 'Literal' && typeof a.value === 'string') return a.value.trim().length > 0;
  if (a.type === 'TemplateLiteral') return a.quasis.some((q) => q.value.cooked.trim().length > 0);
  return false;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Every HTTP route of a controller is guarded (@UseGuards) or explicitly public (@PublicEndpoint(reason)).' },
    schema: [],
    messages: {
      unguarded: "HTTP route '{{name}}' of controller {{controller}} has neither @UseGuards(...) nor @PublicEndpoint('reason') on the handler or the class.",
      noReason: '@PublicEndpoint needs one non-empty string: why this endpoint is open to anyone.',
    },
  },
  create(context) {
    function checkPublic(decorators) {
      const p = find(decorators, 'PublicEndpoint');
      if (p && !publicReasonOk(p)) context.report({ node: p, messageId: 'noReason' });
      return Boolean(p);
    }
    function checkClass(node) {
      if (!find(node.decorators, 'Controller')) return;
      const classPublic = checkPublic(node.decorators);
      const classOk = classPublic || Boolean(find(node.decorators, 'UseGuards'));
      for (const m of node.body.body) {
        if (m.type !== 'MethodDefinition') continue;
        const methodPublic = checkPublic(m.decorators);
        const route = (m.decorators ?? []).some((d) => HTTP_ROUTES.has(decoratorName(d)));
        if (!route || classOk || methodPublic || find(m.decorators, 'UseGuards')) continue;
        const name = m.key.type === 'Identifier' ? m.key.name : '(computed)';
        context.report({ node: m.key, messageId: 'unguarded', data: { name, controller: node.id?.name ?? '(anonymous)' } });
      }
    }
    return { ClassDeclaration: checkClass, ClassExpression: checkClass };
  },
};

export default { rules: { 'controller-guarded': rule } };
