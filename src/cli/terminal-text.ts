/**
 * Text that came from the network, made safe to print on a terminal. A server chooses its
 * reason phrase, header values and body, and the CLI quotes them (in the exchange it shows and
 * in the problems it explains). Printed raw, an ESC or C1 byte starts a terminal control
 * sequence (set the window title, write the clipboard with OSC 52, move the cursor, hide text
 * with SGR 8), a CR or LF starts a line the server wrote (a forged `Verdict: ALLOWED`), and a
 * bidi override reorders what the reader sees. The human formatters pass every string they
 * did not write themselves through `forTerminal`, and add their own colours afterwards.
 *
 * Each such character is shown as an ASCII escape: `\x1b` for C0 controls, DEL and C1
 * controls, `\u202e` for the Unicode format characters. Escapes are plain ASCII, so they show
 * the same in every terminal and font, survive copy and paste, and are the notation JSON and
 * JavaScript use for the same character. Unicode's control pictures (U+241B for ESC) exist for
 * C0 and DEL only, not for C1 or bidi controls, and look like characters a server may send
 * literally.
 */

/** Whether a UTF-16 code unit must not reach a terminal as itself. */
function isTerminalUnsafe(code: number): boolean {
  if (code < 0x20) return true; // C0, TAB, LF and CR included: network text never starts a line
  if (code < 0x7f) return false;
  if (code <= 0x9f) return true; // DEL and C1 (U+009B is a one-character CSI on many terminals)
  if (code < 0x061c) return false;
  return (
    code === 0x061c || // ARABIC LETTER MARK
    code === 0x200e || // LEFT-TO-RIGHT MARK
    code === 0x200f || // RIGHT-TO-LEFT MARK
    (code >= 0x2028 && code <= 0x202e) || // line and paragraph separators, bidi embeddings and overrides
    (code >= 0x2066 && code <= 0x2069) // bidi isolates
  );
}

/** `text` with each code unit `unsafe` accepts replaced by `escapeOf(code)`, in one pass. */
function escapeEach(text: string, unsafe: (code: number) => boolean, escapeOf: (code: number) => string): string {
  let out = '';
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!unsafe(code)) continue;
    out += text.slice(kept, i) + escapeOf(code);
    kept = i + 1;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

const hex = (code: number, digits: number): string => code.toString(16).padStart(digits, '0');

/**
 * `text` with every control character, DEL, C1 control, bidi control and line separator
 * replaced by its visible escape. Linear in the length; the result is at most six times as long.
 */
export function forTerminal(text: string): string {
  return escapeEach(text, isTerminalUnsafe, (code) => (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`));
}

/**
 * JSON text of `value` that is safe on a terminal and parses back to the same value.
 * JSON.stringify escapes C0 controls only; DEL, C1 and the bidi controls can appear only inside
 * strings there, so writing them as \u escapes keeps the JSON valid and every value raw.
 */
export function jsonForTerminal(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return escapeEach(
    text,
    (code) => code >= 0x7f && isTerminalUnsafe(code),
    (code) => `\\u${hex(code, 4)}`,
  );
}
