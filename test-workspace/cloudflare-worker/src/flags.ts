// Flag rules are edited by the growth team in /flags.json as small expressions, e.g.
//   { "name": "interstitial", "condition": "country === 'DE' || plan === 'free'" }

export interface FlagRule {
  name: string;
  condition: string;
}

export interface FlagContext {
  country: string;
  plan?: 'free' | 'pro';
}

export function evaluateFlag(condition: string, context: FlagContext): boolean {
  // The expression refers to these names directly.
  const { country, plan = 'free' } = context;
  try {
    return Boolean(eval(condition));
  } catch (err) {
    console.warn(`flag condition failed: ${condition}`, err, { country, plan });
    return false;
  }
}
