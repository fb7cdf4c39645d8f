"""How numbers, money and dates read in a packet (packet-design.md, "Numbers you can compare")."""

from __future__ import annotations

from datetime import date

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$",
           "CHF": "CHF ", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "INR": "₹"}


def money(amount: float | None, currency: str) -> str:
    """Full amount with thousands separators: $285,000."""
    if amount is None:
        return "–"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{'-' if amount < 0 else ''}{symbol}{abs(amount):,.0f}"


def money_compact(amount: float | None, currency: str) -> str:
    """Compact where space is short: $1.2M, $285K, $900."""
    if amount is None:
        return "–"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    value = abs(amount)
    sign = "-" if amount < 0 else ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= limit:
            shown = f"{value / limit:.1f}".removesuffix(".0")
            if float(shown) >= 1000 and suffix != "B":  # 999.95K rounds to 1,000K: say 1M
                continue
            return f"{sign}{symbol}{shown}{suffix}"
    return f"{sign}{symbol}{value:,.0f}"


def prose_date(day: date | None) -> str:
    """18 Dec 2026, as in prose."""
    return f"{day.day} {day:%b %Y}" if day else "–"


def table_date(day: date | None) -> str:
    """2026-12-18, as in tables."""
    return day.isoformat() if day else "–"


def days_overdue(days: int) -> str:
    return f"{days} d overdue"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def fiscal_quarter(day: date, fiscal_year_start: int) -> tuple[int, int]:
    """(fiscal year, quarter 1-4) of a date; FY is named by the calendar year it ends in."""
    months = (day.month - fiscal_year_start) % 12
    year = day.year + (1 if fiscal_year_start > 1 and day.month >= fiscal_year_start else 0)
    return year, months // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"Q{quarter} FY{year % 100:02d}"
