/**
 * The README's "Node options" table, rendered from an option table: one row per option, "applies to"
 * from its kinds, "inherited" from its inherit mode, "default" from its default, unless the entry's
 * README row says otherwise. test/unit/readme.test.ts checks that the README holds exactly this.
 */
import { NODE_KINDS, kindLabel } from './kinds.ts';
import type { InheritMode } from './option.ts';
import type { OptionTable } from './table-types.ts';

const INHERITED: Record<InheritMode, string> = { nearest: 'yes', 'per-key': 'per key, nearer wins', none: 'no', special: 'special' };

const renderDefault = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'object') return `\`${JSON.stringify(value)}\``;
  return String(value);
};

/** The Markdown table (header, separator and one row per option, in table order), lines joined by "\n". */
export function renderOptionsTable<Tb extends OptionTable<Tb>>(table: Tb): string {
  const rows = Object.keys(table).filter((name): name is keyof Tb & string => Object.hasOwn(table, name)).map((name) => {
    const entry = table[name];
    const kinds = NODE_KINDS.filter((kind) => entry.kinds.includes(kind));
    const appliesTo = kinds.length === NODE_KINDS.length ? 'all' : kinds.map(kindLabel).join(', ');
    const { inherited = INHERITED[entry.inherit], default: fallback = renderDefault(entry.top), meaning } = entry.readme;
    return `| \`${name}\` | ${appliesTo} | ${inherited} | ${fallback} | ${meaning} |`;
  });
  return ['| option | applies to | inherited | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
