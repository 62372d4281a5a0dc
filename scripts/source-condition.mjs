// Module resolution hook for running from sources: adds the "caisson-source" condition to every
// resolution, so package.json's exports map `caisson` and `caisson/*` to the .ts files.
export function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'caisson-source'] });
}
