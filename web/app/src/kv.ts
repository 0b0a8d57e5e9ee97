// Key/values of a record as text: strings bare, everything else as JSON.
import type { PodView } from '../../api/types.js';

type Kv = PodView['events'][number]['kv'];

export const valueText = (v: Kv[string]): string => (typeof v === 'string' ? v : JSON.stringify(v));

export const kvInline = (kv: Kv): string =>
  Object.entries(kv)
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(' ');
