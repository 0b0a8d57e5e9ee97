// Errors reading the inputs, which the commands report by input (exit 2, INPUT_UNREADABLE); a
// failure of the database is a StoreError (store/errors.ts).

/** A failure reading one input (unreadable file, corrupt gzip, …): names the input. */
export class InputReadError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'InputReadError';
  }
}
