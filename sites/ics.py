"""A minimal iCalendar (RFC 5545) writer: enough for office hours and appointment confirmations."""

from datetime import UTC, datetime


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    # Lines longer than 75 octets are folded with a leading space (RFC 5545, 3.1).
    encoded = line.encode()
    if len(encoded) <= 75:
        return [line]
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > 74:
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return [parts[0]] + [" " + part for part in parts[1:]]


def calendar(*, name: str, events: list[dict], now: datetime, product: str = "-//JMD digital-hub//DE") -> str:
    """events: dicts with uid, start, end, summary and optional location/description. `product` names the
    writer (PRODID); a young person's appointment passes a neutral one."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}", "CALSCALE:GREGORIAN"]
    lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{_stamp(now)}"]
        lines += [f"DTSTART:{_stamp(event['start'])}", f"DTEND:{_stamp(event['end'])}"]
        lines.append(f"SUMMARY:{_escape(event['summary'])}")
        for key in ("location", "description"):
            if event.get(key):
                lines.append(f"{key.upper()}:{_escape(event[key])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
