import type { Frame, FrameSource, CaptureError } from './frame.js';
import type { FrameFilter } from './libpcap.js';

/** A file's frames that a BPF filter passes, as tcpdump -r FILE EXPRESSION reads them. */
export class FilteredSource implements FrameSource {
  constructor(
    private readonly inner: FrameSource,
    private readonly filter: FrameFilter,
  ) {}

  get frame(): Frame {
    return this.inner.frame;
  }

  next(): boolean {
    while (this.inner.next()) if (this.filter.matches(this.inner.frame)) return true;
    return false;
  }

  get problem(): CaptureError | null {
    return this.inner.problem;
  }

  get position(): number {
    return this.inner.position;
  }

  get recordAt(): number | undefined {
    return this.inner.recordAt;
  }

  get description(): string {
    return `${this.inner.description}, filter ${this.filter.expression}`;
  }

  close(): void {
    this.inner.close();
  }
}
