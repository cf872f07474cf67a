"""Asks every visible top-level window on $DISPLAY to close, as a window manager's close button does:
an X11 ClientMessage WM_PROTOCOLS / WM_DELETE_WINDOW (the window decides; nothing is killed). The e2e
display is the test's own Xvfb, without a window manager, so its only windows are the app's.
Prints the number of windows asked; exits 1 when there was none. Needs python3-xlib."""

import sys

from Xlib import X, display, protocol


def main() -> int:
    d = display.Display()
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    asked = 0
    for w in d.screen().root.query_tree().children:
        if w.get_attributes().map_state != X.IsViewable:
            continue
        if delete not in (w.get_wm_protocols() or []):
            continue
        event = protocol.event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(event, event_mask=X.NoEventMask)
        asked += 1
    d.sync()
    print(asked)
    return 0 if asked > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
