import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Worker threads running one script, one for each options given. A worker
 * that fails (an error thrown, or an exit with a code other than 0) stops
 * them all and is told to `onFail`, once; what stop() ends is not a failure.
 */
export class WorkerPool<M> {
  private readonly workers: Worker[] = [];
  private stopped = false;
  private ending: Promise<unknown> = Promise.resolve();

  constructor(script: URL, each: WorkerOptions[], onMessage: (m: M) => void, onFail: (err: Error) => void) {
    const fail = (err: Error) => {
      if (this.stopped) return;
      this.stop();
      onFail(err);
    };
    for (const options of each) {
      const w = new Worker(script, options);
      this.workers.push(w);
      w.on('message', onMessage);
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a worker thread stopped (exit code ${code})`));
      });
    }
  }

  /** Sends every worker the same message. */
  post(message: unknown): void {
    for (const w of this.workers) w.postMessage(message);
  }

  stop(): void {
    void this.end();
  }

  /** Ends the workers; resolves once they have exited (their memory given back). */
  end(): Promise<unknown> {
    if (!this.stopped) {
      this.stopped = true;
      this.ending = Promise.all(this.workers.map((w) => w.terminate()));
    }
    return this.ending;
  }
}
