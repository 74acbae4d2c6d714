// The framework config file names of the registry (`detect.configFiles`), which `project.ts` notes walking up.
import { FRAMEWORKS } from './index';

export const FRAMEWORK_CONFIG_FILES: ReadonlySet<string> = new Set(FRAMEWORKS.flatMap((f) => f.detect.configFiles ?? []));
