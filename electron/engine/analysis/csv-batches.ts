/**
 * Cuts a stream of CSV bytes into batches that end on a row boundary, so each batch can be
 * parsed on its own. A newline inside a quoted field is not a boundary: the quote parity is
 * tracked across chunks (PostgreSQL's CSV doubles quotes inside fields, which keeps parity exact).
 */
const QUOTE = 0x22;
const NEWLINE = 0x0a;

export class CsvBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Quote parity at the end of `pending` (true: inside a quoted field). */
  private inQuote = false;

  constructor(
    private readonly batchBytes: number,
    private readonly onBatch: (batch: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    const startInQuote = this.inQuote;
    const quotes: number[] = [];
    for (let i = chunk.indexOf(QUOTE); i !== -1; i = chunk.indexOf(QUOTE, i + 1)) quotes.push(i);
    if (quotes.length % 2 === 1) this.inQuote = !this.inQuote;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.batchBytes) return;
    const cut = lastRowEnd(chunk, quotes, startInQuote);
    if (cut < 0) return;
    const head = chunk.subarray(0, cut + 1);
    const tail = chunk.subarray(cut + 1);
    this.pending[this.pending.length - 1] = head;
    this.pendingBytes -= tail.length;
    this.flush();
    if (tail.length) {
      this.pending.push(tail);
      this.pendingBytes = tail.length;
    }
  }

  /** Emits what is left (the end of the stream). */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    const batch = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length) this.onBatch(batch);
  }
}

/** The last newline of `chunk` outside quotes, or -1. */
function lastRowEnd(chunk: Buffer, quotes: number[], startInQuote: boolean): number {
  let nl = chunk.lastIndexOf(NEWLINE);
  let q = quotes.length; // quotes before `nl` = count of quote positions < nl
  while (nl >= 0) {
    while (q > 0 && quotes[q - 1]! > nl) q--;
    const inside = startInQuote !== (q % 2 === 1);
    if (!inside) return nl;
    nl = nl === 0 ? -1 : chunk.lastIndexOf(NEWLINE, nl - 1);
  }
  return -1;
}
