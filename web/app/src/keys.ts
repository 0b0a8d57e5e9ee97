// Keyboard shortcuts of the app stay out of the way of typing.

/** Whether a key event belongs to a control that reads keys itself (a field, a select). */
export function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
