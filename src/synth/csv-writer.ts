import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

/** Buffered line writer that honours back-pressure, so 10M+ rows stream in constant memory. */
export class CsvWriter {
  private buffer = "";
  private readonly stream: WriteStream;

  constructor(file: string, header: string[]) {
    this.stream = createWriteStream(file);
    this.buffer = `${header.join(",")}\n`;
  }

  /** Buffers a line; returns a promise only when the buffer went to disk and the caller must wait. */
  line(cells: string): Promise<void> | undefined {
    this.buffer += `${cells}\n`;
    return this.buffer.length > 1 << 20 ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = "";
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }

  destroy(): void {
    this.stream.destroy();
  }
}
