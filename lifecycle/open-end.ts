// Where a phase the log ends inside stops, in words: the terminal and the browser say it alike.
// No imports: the web app bundles it.

const WORDS: Record<string, string> = {
  'kubelet-crash': 'the kubelet crashed',
  'kubelet-restart': 'the kubelet restarted',
  'kubelet-stop': 'the kubelet stopped',
};

/** `the log ends`, `the kubelet crashed`, … for an open phase's end evidence. */
export const openEndWords = (evidence: string): string => WORDS[evidence] ?? 'the log ends';
