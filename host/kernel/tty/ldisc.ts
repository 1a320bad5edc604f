// The N_TTY line discipline (drivers/tty/n_tty.c): input processing
// (ISTRIP, IGNCR/ICRNL/INLCR, ISIG characters, ICANON line editing with
// ERASE/KILL/WERASE/LNEXT/REPRINT/EOF/EOL), echo (ECHO, ECHOE, ECHOK,
// ECHOKE, ECHONL, ECHOCTL), output processing (OPOST: ONLCR, OCRNL,
// ONOCR, ONLRET, OLCUC, XTABS) with the column it implies, and what a read
// may take. Flow control (IXON's ^S/^Q) and ECHOPRT are not done.
import {
  ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR, INLCR, ISIG, ISTRIP, IUTF8, NOFLSH,
  OCRNL, OLCUC, ONLCR, ONLRET, ONOCR, OPOST, TABDLY, Termios, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT,
  VQUIT, VREPRINT, VSUSP, VWERASE, XTABS,
} from "./termios.js";

const SIGINT = 2, SIGQUIT = 3, SIGTSTP = 20;
const EOF_MARK = -1; // an end-of-file (VEOF) in the input: ends a line, never read
const ERASE = 0, WERASE = 1, KILL = 2;
const BUF_SIZE = 4095; // N_TTY_BUF_SIZE - 1: input beyond it is dropped
const SET_CANON_COLUMN = -2; // in the echo buffer: the line being edited starts at the current column

// What the discipline needs from its terminal.
export interface LdiscOwner {
  output(data: Uint8Array): void; // processed bytes to the device (screen, pty master)
  flushOutput(): void; // drop output the device has not taken yet (an interrupt character)
  signal(sig: number): void; // to the foreground process group
  inputChanged(): void; // readers and pollers may go on
}

const isCntrl = (c: number) => c < 0x20 || c === 0x7f;

export class LineDiscipline {
  // Received input: bytes (EOF_MARK for VEOF) and, in a parallel array, which of them end a line.
  private buf: number[] = [];
  private ends: boolean[] = [];
  private canonHead = 0; // in canonical mode, bytes before this are complete lines
  private lnext = false;
  column = 0; // the output column, for tabs and erasing
  private canonColumn = 0; // the column where the line being edited starts
  private echoes: number[] = []; // echo output of the input being received, sent when it is all in

  constructor(public termios: Termios, private owner: LdiscOwner) {}

  private get icanon(): boolean { return (this.termios.lflag & ICANON) !== 0; }

  // n_tty_set_termios: switching ICANON makes what was typed readable as one line,
  // or all of it readable byte by byte.
  setTermios(t: Termios): void {
    const was = this.icanon;
    this.termios = t;
    if (was === this.icanon) return;
    this.lnext = false;
    if (this.icanon && this.buf.length) {
      this.ends[this.buf.length - 1] = true;
      this.canonHead = this.buf.length;
    } else {
      this.canonHead = 0;
    }
  }

  // ---- reading -------------------------------------------------------------

  // Bytes a read can take now (FIONREAD counts them the same way).
  available(): number {
    if (!this.icanon) return this.buf.length;
    let n = 0;
    for (let i = 0; i < this.canonHead; i++) if (this.buf[i] !== EOF_MARK) n++;
    return n;
  }

  // Whether a read would return now (data, or an end of file in canonical mode).
  readable(): boolean {
    return this.icanon ? this.canonHead > 0 : this.buf.length > 0;
  }

  // Take up to len bytes: one line (or its start) in canonical mode, else what is there.
  take(len: number): Uint8Array {
    const out: number[] = [];
    if (this.icanon) {
      while (this.canonHead > 0 && out.length < len) {
        const c = this.buf.shift()!;
        const end = this.ends.shift()!;
        this.canonHead--;
        if (c !== EOF_MARK) out.push(c);
        if (end) break;
      }
    } else {
      const n = Math.min(len, this.buf.length);
      for (const c of this.buf.splice(0, n)) if (c !== EOF_MARK) out.push(c);
      this.ends.splice(0, n);
      this.canonHead = Math.max(0, this.canonHead - n);
    }
    return Uint8Array.from(out);
  }

  flushInput(): void {
    this.buf = [];
    this.ends = [];
    this.canonHead = 0;
    this.lnext = false;
  }

  // ---- input -----------------------------------------------------------------

  receive(data: Uint8Array): void {
    for (const b of data) this.receiveChar(b);
    this.flushEchoes();
    this.owner.inputChanged();
  }

  private special(c: number, idx: number): boolean {
    const v = this.termios.cc[idx];
    return v !== 0 && c === v;
  }

  private receiveChar(c: number): void {
    const t = this.termios;
    if (t.iflag & ISTRIP) c &= 0x7f;
    if (this.lnext) {
      this.lnext = false;
      this.store(c, false, true);
      return;
    }
    if (t.lflag & ISIG) {
      const sig = this.special(c, VINTR) ? SIGINT : this.special(c, VQUIT) ? SIGQUIT : this.special(c, VSUSP) ? SIGTSTP : 0;
      if (sig) {
        // isig: unless NOFLSH, pending echoes, unread output and the input all go.
        this.owner.signal(sig);
        if (!(t.lflag & NOFLSH)) {
          this.echoes = [];
          this.owner.flushOutput();
          this.flushInput();
        }
        if (t.lflag & ECHO) this.echo([...this.echoForm(c)]);
        return;
      }
    }
    if (c === 0x0d) {
      if (t.iflag & IGNCR) return;
      if (t.iflag & ICRNL) c = 0x0a;
    } else if (c === 0x0a && t.iflag & INLCR) {
      c = 0x0d;
    }
    if (this.icanon) {
      const ext = (t.lflag & IEXTEN) !== 0;
      if (this.special(c, VERASE)) return this.erase(ERASE);
      if (this.special(c, VKILL)) return this.erase(KILL);
      if (ext && this.special(c, VWERASE)) return this.erase(WERASE);
      if (ext && this.special(c, VLNEXT)) {
        this.lnext = true;
        if (t.lflag & ECHO && t.lflag & ECHOCTL) this.echo([0x5e, 0x08]);
        return;
      }
      if (ext && this.special(c, VREPRINT) && t.lflag & ECHO) return this.reprint(c);
      if (c === 0x0a) {
        if (t.lflag & (ECHO | ECHONL)) this.echo([0x0a]);
        return this.store(c, true, false);
      }
      if (this.special(c, VEOF)) return this.store(EOF_MARK, true, false);
      if (this.special(c, VEOL) || (ext && this.special(c, VEOL2))) return this.store(c, true, true);
    }
    this.store(c, false, true);
  }

  // Put c in the input, echoing it when asked; a line end makes the line readable.
  private store(c: number, endsLine: boolean, echo: boolean): void {
    if (this.buf.length >= BUF_SIZE && !(endsLine && this.icanon)) return;
    const t = this.termios;
    if (echo && t.lflag & ECHO) {
      if (c === 0x0a) this.echo([0x0a]);
      else {
        if (this.buf.length === this.canonHead) this.echoes.push(SET_CANON_COLUMN);
        this.echo([...this.echoForm(c)]);
      }
    }
    this.buf.push(c);
    this.ends.push(endsLine);
    if (endsLine) this.canonHead = this.buf.length;
  }

  // How a character is echoed: control characters as ^X under ECHOCTL (but tab and newline as they are).
  private echoForm(c: number): number[] {
    if (this.termios.lflag & ECHOCTL && isCntrl(c) && c !== 0x09 && c !== 0x0a) return [0x5e, c ^ 0x40];
    return [c];
  }

  private isContinuation(c: number): boolean {
    return (this.termios.iflag & IUTF8) !== 0 && (c & 0xc0) === 0x80;
  }

  // n_tty's eraser: ERASE one character, WERASE a word, KILL the line, with the echo that undoes them.
  private erase(kind: number): void {
    const t = this.termios;
    const head = this.canonHead;
    if (this.buf.length === head) return;
    const echo = (t.lflag & ECHO) !== 0;
    if (kind === KILL) {
      if (!echo) { this.truncate(head); return; }
      if (!(t.lflag & ECHOK) || !(t.lflag & ECHOKE) || !(t.lflag & ECHOE)) {
        this.truncate(head);
        this.echo(this.echoForm(t.cc[VKILL]));
        if (t.lflag & ECHOK) this.echo([0x0a]);
        return;
      }
    }
    let seenAlnum = 0;
    while (this.buf.length > head) {
      // One character: a UTF-8 lead byte and its continuation bytes go together.
      let start = this.buf.length - 1;
      while (start > head && this.isContinuation(this.buf[start])) start--;
      const c = this.buf[start];
      if (kind === WERASE) {
        const word = /[A-Za-z0-9_]/.test(String.fromCharCode(c));
        if (word) seenAlnum++;
        else if (seenAlnum) break;
      }
      this.truncate(start);
      if (echo) {
        if (kind === ERASE && !(t.lflag & ECHOE)) this.echo(this.echoForm(t.cc[VERASE]));
        else if (c === 0x09) this.eraseTab(start);
        else if (!isCntrl(c)) this.echo([8, 32, 8]);
        else if (t.lflag & ECHOCTL) this.echo([8, 32, 8, 8, 32, 8]);
      }
      if (kind === ERASE) break;
    }
  }

  private truncate(n: number): void {
    this.buf.length = n;
    this.ends.length = n;
  }

  // Back over a tab: to the column it started from, found by measuring the line before it.
  private eraseTab(at: number): void {
    let cols = 0, afterTab = false;
    for (let i = at - 1; i >= this.canonHead; i--) {
      const c = this.buf[i];
      if (c === 0x09) { afterTab = true; break; }
      if (isCntrl(c)) { if (this.termios.lflag & ECHOCTL) cols += 2; } else if (!this.isContinuation(c)) cols++;
    }
    if (!afterTab) cols += this.canonColumn;
    const n = 8 - (cols & 7);
    this.echo(new Array<number>(n).fill(8));
  }

  private reprint(c: number): void {
    this.echo(this.echoForm(c));
    this.echo([0x0a]);
    for (let i = this.canonHead; i < this.buf.length; i++) this.echo(this.echoForm(this.buf[i]));
  }

  private echo(bytes: number[]): void {
    for (const c of bytes) this.echoes.push(c);
  }

  // Echoes go through output processing (ONLCR even without OPOST, as n_tty's echo path does).
  private flushEchoes(): void {
    if (!this.echoes.length) return;
    const out: number[] = [];
    for (const c of this.echoes) {
      if (c === SET_CANON_COLUMN) this.canonColumn = this.column;
      else this.outputChar(c, out);
    }
    this.echoes = [];
    this.owner.output(Uint8Array.from(out));
  }

  // ---- output ----------------------------------------------------------------

  // What a write puts on the device.
  process(data: Uint8Array): Uint8Array {
    if (!(this.termios.oflag & OPOST)) return data;
    const out: number[] = [];
    for (const c of data) this.outputChar(c, out);
    return Uint8Array.from(out);
  }

  // do_output_char: one character and the column after it.
  private outputChar(c: number, out: number[]): void {
    const o = this.termios.oflag;
    switch (c) {
      case 0x0a:
        if (o & ONLRET) this.column = 0;
        if (o & ONLCR) {
          out.push(0x0d, 0x0a);
          this.column = this.canonColumn = 0;
          return;
        }
        this.canonColumn = this.column;
        break;
      case 0x0d:
        if (o & ONOCR && this.column === 0) return;
        if (o & OCRNL) {
          c = 0x0a;
          if (o & ONLRET) this.column = this.canonColumn = 0;
          break;
        }
        this.column = this.canonColumn = 0;
        break;
      case 0x09: {
        const spaces = 8 - (this.column & 7);
        this.column += spaces;
        if ((o & TABDLY) === XTABS) {
          for (let i = 0; i < spaces; i++) out.push(0x20);
          return;
        }
        break;
      }
      case 0x08:
        if (this.column > 0) this.column--;
        break;
      default:
        if (!isCntrl(c)) {
          if (o & OLCUC && c >= 0x61 && c <= 0x7a) c -= 0x20;
          if (!this.isContinuation(c)) this.column++;
        }
    }
    out.push(c);
  }
}
