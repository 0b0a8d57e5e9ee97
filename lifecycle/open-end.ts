// Where a phase the log ends inside stops, and whether a phase's length is only a lower bound, in
// words and in one predicate: the terminal, the API and the browser say it alike.
// No imports: the web app bundles it.

const WORDS: Record<string, string> = {
  'kubelet-crash': 'the kubelet crashed',
  'kubelet-restart': 'the kubelet restarted',
  'kubelet-stop': 'the kubelet stopped',
};

/** `the log ends`, `the kubelet crashed`, … for an open phase's end evidence. */
export const openEndWords = (evidence: string): string => WORDS[evidence] ?? 'the log ends';

/** The words for a phase the log begins inside. */
export const BEGAN_BEFORE_WORDS = 'it began before the log';

/** The log begins inside the phase: it started at its first line or earlier. */
export const beganBeforeLog = (ph: { startBy: { evidence: string } }): boolean => ph.startBy.evidence === 'log-start';

/**
 * A phase whose length is a lower bound (`≥`): the log (or its kubelet) ends inside it, or the log
 * begins inside it. Such a length is no sample of how long the phase takes.
 */
export const lengthIsLowerBound = (ph: { open: boolean; startBy: { evidence: string } }): boolean => ph.open || beganBeforeLog(ph);
