// NestJS: controller methods decorated with @Get(), @Post() … (and microservice patterns); request data arrives
// through decorated parameters (@Body(), @Req(), @Headers() …), and a method responds by returning. Controllers
// count in the entry that bootstraps the app (`NestFactory.create(AppModule)`) and in the modules it reaches.
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';
import { decoratorName } from '../shared';

const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All', 'MessagePattern', 'EventPattern']);

const nestjs: FrameworkModule = {
  id: 'nestjs',
  label: 'NestJS',
  detect: { dependencies: ['@nestjs/core'], configFiles: ['nest-cli.json'] },
  shapes: [
    {
      id: 'nest-route',
      label: 'NestJS route',
      responds: { via: 'return' },
      request: { params: 0, decorators: ['Body', 'Req', 'Request', 'Headers', 'Query', 'Param', 'Ip', 'Session', 'HostParam', 'Payload'] },
    },
  ],
  entries: [],
  visitClass(cls, env) {
    // A `@Controller()` class is unmistakable: its routes are handlers in a module the bootstrapping entry reaches.
    const controller = (ts.canHaveDecorators(cls) ? (ts.getDecorators(cls) ?? []) : []).some((d) => decoratorName(d) === 'Controller');
    for (const member of cls.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      const decorators = ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : [];
      if (!decorators.some((d) => ts.isCallExpression(d.expression) && ROUTE_DECORATORS.has(decoratorName(d) ?? ''))) continue;
      env.candidate({ shape: 'nest-route', name: `${cls.name?.text ?? 'controller'}.${member.name.getText(env.sf)}`, node: member, inModule: controller });
    }
  },
};

export default nestjs;
