"""The one progress bar of the training loops.

    bar = Progress(steps, "training")
    bar.log(step, "loss 0.0123", log)     # a new line: for runs of many minutes, read in a log
    bar.draw(step, "loss 0.0123")         # redrawn in place on a terminal, nothing in a file
"""

import sys
import time


class Progress:
    """done/total as a bar of #, the minutes so far and an estimate of the minutes left."""

    def __init__(self, total, label, width=30):
        self.total, self.label, self.width = total, label, width
        self.started = time.time()
        self.drawn = 0                       # characters on the terminal line, to clear

    def seconds(self):
        return time.time() - self.started

    def line(self, done, note=""):
        elapsed = self.seconds()
        filled = int(self.width * done / max(1, self.total))
        rest = elapsed / max(1, done) * (self.total - done)
        return (f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{self.total:,}  "
                f"{elapsed / 60:4.1f} min, about {rest / 60:4.1f} min to go  {note}")

    def log(self, done, note="", log=print):
        log("  " + self.line(done, note))

    def draw(self, done, note="", stream=sys.stderr):
        """Redraw the line on a terminal, every 20th step and the last (more only flickers)."""
        if stream.isatty() and (done % 20 == 0 or done == self.total):
            text = self.line(done, note)
            stream.write("\r" + text.ljust(self.drawn))
            stream.flush()
            self.drawn = len(text)

    def clear(self, stream=sys.stderr):
        if stream.isatty() and self.drawn:
            stream.write("\r" + " " * self.drawn + "\r")
            self.drawn = 0
