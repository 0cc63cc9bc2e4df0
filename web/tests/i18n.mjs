// Fails on any missing or unused translation key: every language has exactly English's keys
// (plural forms as each language's plural rules ask), and every key is used by the sources.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const locales = join(root, 'src/locales');
// Keys built at run time from a value: `state.${s}` and the like.
const DYNAMIC = ['state.', 'provisions.status.', 'occurrence.', 'language.', 'casualties.', 'indicator.', 'deadline.', 'role.', 'source.', 'precision.', 'category.', 'signin.', 'entry.', 'incident.aspect.', 'workspace.do_', 'workspace.confidence_', 'workspace.intent_', 'explain.fit.', 'reason.'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|html)$/.test(f) ? [readFileSync(p, 'utf8')] : [];
  });
}

const problems = [];
const base = (k) => k.replace(PLURAL, '');
const keys = Object.fromEntries(
  readdirSync(locales).map((f) => [f.replace('.json', ''), flatten(JSON.parse(readFileSync(join(locales, f), 'utf8')))]),
);
const english = new Set(keys.en.map(base));
for (const [lang, list] of Object.entries(keys)) {
  const have = new Set(list.map(base));
  for (const k of english) if (!have.has(k)) problems.push(`${lang}: missing ${k}`);
  for (const k of have) if (!english.has(k)) problems.push(`${lang}: ${k} is not an English key`);
  // Plural keys: exactly the categories this language's plural rules use.
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  for (const k of new Set(list.filter((x) => PLURAL.test(x)).map(base))) {
    const forms = list.filter((x) => base(x) === k && PLURAL.test(x)).map((x) => x.match(PLURAL)[1]);
    for (const c of categories) if (!forms.includes(c) && !(c === 'zero' && lang !== 'ar')) {
      if (!forms.includes(c)) problems.push(`${lang}: ${k} lacks the plural form ${c}`);
    }
  }
}
const text = [...sources(join(root, 'src')), readFileSync(join(root, 'index.html'), 'utf8')].join('\n');
for (const k of english) {
  const used = text.includes(`'${k}'`) || text.includes(`"${k}"`) || text.includes(`\`${k}\``) ||
    DYNAMIC.some((d) => k.startsWith(d) && text.includes(d));
  if (!used) problems.push(`en: ${k} is not used`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`translations: ${english.size} keys in ${Object.keys(keys).length} languages, all present and used`);
