// struct termios and termios2 as the kernel's ioctls read and write them
// (asm-generic/termbits.h: the same layout on i386 and x86-64), the flag bits
// the line discipline acts on, and the defaults a terminal starts with.

export const NCCS = 19;
export const TERMIOS_SIZE = 36; // c_iflag, c_oflag, c_cflag, c_lflag, c_line, c_cc[19]
export const TERMIOS2_SIZE = 44; // ... then c_ispeed, c_ospeed

// c_iflag
export const ISTRIP = 0o40, INLCR = 0o100, IGNCR = 0o200, ICRNL = 0o400, IUCLC = 0o1000, IXON = 0o2000,
  IUTF8 = 0o40000;
// c_oflag
export const OPOST = 1, OLCUC = 2, ONLCR = 4, OCRNL = 0o10, ONOCR = 0o20, ONLRET = 0o40, TABDLY = 0o14000,
  XTABS = 0o14000;
// c_cflag
export const CBAUD = 0o10017, BOTHER = 0o10000, CS8 = 0o60, CREAD = 0o200, HUPCL = 0o2000, B38400 = 0o17;
// c_lflag
export const ISIG = 1, ICANON = 2, ECHO = 0o10, ECHOE = 0o20, ECHOK = 0o40, ECHONL = 0o100, NOFLSH = 0o200,
  TOSTOP = 0o400, ECHOCTL = 0o1000, ECHOKE = 0o4000, IEXTEN = 0o100000;
// c_cc indices
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSUSP = 10, VEOL = 11,
  VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;

// INIT_C_CC: ^C ^\ ^? ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V.
const INIT_CC = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0];

// The speeds of the Bnnn codes in CBAUD (B0..B38400, then B57600.. as CBAUDEX | 1..15).
const BAUD = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
  0, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000,
  3000000, 3500000, 4000000];

export class Termios {
  iflag = 0;
  oflag = 0;
  cflag = 0;
  lflag = 0;
  line = 0;
  cc = new Uint8Array(NCCS);
  ispeed = 38400;
  ospeed = 38400;

  // tty_std_termios (a console or serial line); pty slaves drop HUPCL.
  static standard(hupcl: boolean): Termios {
    const t = new Termios();
    t.iflag = ICRNL | IXON;
    t.oflag = OPOST | ONLCR;
    t.cflag = B38400 | CS8 | CREAD | (hupcl ? HUPCL : 0);
    t.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t.cc.set(INIT_CC);
    return t;
  }

  // A pty master: no input or output processing, no line editing.
  static master(): Termios {
    const t = Termios.standard(false);
    t.iflag = t.oflag = t.lflag = 0;
    return t;
  }

  clone(): Termios {
    const t = Object.assign(new Termios(), this);
    t.cc = this.cc.slice();
    return t;
  }

  encode(size: number): Uint8Array {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, this.iflag, true);
    dv.setUint32(4, this.oflag, true);
    dv.setUint32(8, this.cflag, true);
    dv.setUint32(12, this.lflag, true);
    b[16] = this.line;
    b.set(this.cc, 17);
    if (size === TERMIOS2_SIZE) {
      dv.setUint32(36, this.ispeed, true);
      dv.setUint32(40, this.ospeed, true);
    }
    return b;
  }

  // From TCSETS* (speeds follow the CBAUD code) or TCSETS2* (explicit speeds under BOTHER).
  static decode(b: Uint8Array): Termios {
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    const t = new Termios();
    t.iflag = dv.getUint32(0, true);
    t.oflag = dv.getUint32(4, true);
    t.cflag = dv.getUint32(8, true);
    t.lflag = dv.getUint32(12, true);
    t.line = b[16];
    t.cc.set(b.subarray(17, 17 + NCCS));
    const code = t.cflag & CBAUD;
    const speed = BAUD[(code & 0xf) | (code & BOTHER ? 16 : 0)];
    if (b.length === TERMIOS2_SIZE && code === BOTHER) {
      t.ospeed = dv.getUint32(40, true);
      t.ispeed = dv.getUint32(36, true);
    } else {
      t.ispeed = t.ospeed = speed;
    }
    return t;
  }
}
