// Matching's reasons in the reader's language: the server gives each explanation as coded
// parts with their values, put in words here.
import { fmtNumber, lang, named, t } from './i18n';
import type { Scenario } from './scenario';

export type Because =
  | { code: 'same_place' | 'no_location' | 'overlapping_times' | 'no_type' | 'parties_in_common' | 'no_party_in_common' }
  | { code: 'apart'; metres: number; within_uncertainty: boolean }
  | { code: 'hours_apart'; hours: number }
  | { code: 'days_apart'; days: number }
  | { code: 'same_type'; event_type: string }
  | { code: 'types'; a: string; b: string; fit: string }
  | { code: 'mutual_accusation' | 'same_parties'; claimants: string[]; accused: string[] }
  | { code: 'text'; text: string };

/// A distance as people say it: metres under a kilometre, else kilometres to one decimal.
export function distance(metres: number): string {
  return metres < 1000
    ? fmtNumber(Math.round(metres), { style: 'unit', unit: 'meter' })
    : fmtNumber(metres / 1000, { style: 'unit', unit: 'kilometer', minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/// The parts of an explanation in words, in their order.
export function explain(parts: Because[], sc: Scenario): string {
  // A type's label inside a sentence: its capital lowered, unless it starts an acronym.
  const type = (id: string): string => {
    const label = named(sc.taxonomy.event_types.find((e) => e.id === id)?.label) || id;
    return /^.\p{Ll}/u.test(label) ? label[0].toLocaleLowerCase(lang()) + label.slice(1) : label;
  };
  const parties = (ids: string[]): string => ids.map((p) => named(sc.parties.find((x) => x.id === p)?.names) || p).join(' / ');
  const words = (b: Because): string => {
    switch (b.code) {
      case 'same_place':
        return t('explain.same_place');
      case 'no_location':
        return t('explain.no_location');
      case 'overlapping_times':
        return t('explain.overlapping_times');
      case 'no_type':
        return t('explain.no_type');
      case 'parties_in_common':
        return t('explain.parties_in_common');
      case 'no_party_in_common':
        return t('explain.no_party_in_common');
      case 'apart':
        return t(b.within_uncertainty ? 'explain.apart_within' : 'explain.apart', { distance: distance(b.metres) });
      case 'hours_apart':
        return b.hours === 0 ? t('explain.within_the_hour') : t('explain.hours_apart', { count: b.hours });
      case 'days_apart':
        return t('explain.days_apart', { count: b.days });
      case 'same_type':
        return t('explain.same_type', { type: type(b.event_type) });
      case 'types':
        return t('explain.types', { a: type(b.a), b: type(b.b), fit: t(`explain.fit.${b.fit}`) });
      case 'mutual_accusation':
        return t('explain.mutual_accusation', { claimants: parties(b.claimants), accused: parties(b.accused) });
      case 'same_parties':
        return t('explain.same_parties', { claimants: parties(b.claimants), accused: parties(b.accused) });
      case 'text':
        return b.text;
    }
  };
  return parts.map(words).join(t('common.separator'));
}
