// The product's version, read from package.json when the bundle is built, so the CLI, the language server and SARIF
// output never disagree with the package that ships them.
import { version } from '../../package.json';

export const VERSION: string = version;
