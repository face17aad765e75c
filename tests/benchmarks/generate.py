"""Generated inputs for the benchmark: fact sets that sweep the interesting ranges of
the BTI deal, and synthetic deals many times its size.

A fact set sweeps, around each boundary, both sides: daily prices and volumes around
the $200 million public float test; the two appraisals around the 10% rule, the third
inside and outside them; the Investor's holdings around every board tier (6, 9 and 12
million shares, adjusted by a split factor); dates around every deadline the three
rules read (the QPO against the redemption closing, the agreement on a price against
30 days after the Investors' Notice, the transfer against the end of the lock-up,
the holdings and the legal end of Section 5 against the evaluation date). A fact set
is a dict of typed values by qualified input name (what `FactBase.values` holds) and
a proposed transfer; `as_json` writes one as a line of JSON for `covenant batch`."""
from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

AS_OF = dt.date(2001, 6, 30)
A, H = "series_a_redemption.", "shareholders_2001."
MARKETS = ("nyse", "other_exchange", "nasdaq_national_market", "nasdaq_quotation", "no_market")
KINDS = ("spouse", "lineal_descendant_or_ancestor", "family_trust", "affiliate", "partner_or_member",
         "limited_partner", "competitor", "company")


def _near(rng: random.Random, value: Decimal, spread: float) -> Decimal:
    """A money amount within `spread` (a fraction) of `value`, to the cent."""
    return (value * Decimal(1 + rng.uniform(-spread, spread))).quantize(Decimal("0.01"))


def _day(rng: random.Random, base: dt.date, days: int) -> dt.date:
    return base + dt.timedelta(days=rng.randint(-days, days))


def fact_set(rng: random.Random) -> tuple[dict, dict]:
    """One generated fact set and proposed transfer."""
    price = Decimal(rng.choice((8, 10, 12, 20, 25)))
    # Registered shares putting the public float (shares x last price) near $200 million.
    registered = (Decimal(200_000_000) / price * Decimal(1 + rng.uniform(-0.05, 0.05))).quantize(Decimal(1))
    days = []
    for n in range(rng.choice((20, 20, 20, 19))):
        close = _near(rng, price, 0.05)
        days.append({"day": AS_OF - dt.timedelta(days=30 - n), "closing_price": close, "last_sale_price": close,
                     "highest_bid": close + Decimal("0.05"), "lowest_asked": close - Decimal("0.05"),
                     "volume": Decimal(rng.randint(1, 500) * 1000)})
    board = Decimal(rng.randint(25, 40) * 1_000_000)
    # The Holders' appraisal within or beyond 10% of the lower valuation, near the line.
    holders = _near(rng, board * Decimal(1 + rng.choice((-1, 1)) * rng.choice((0.05, 0.099, 0.1, 0.101, 0.2))), 0.001)
    notice = _day(rng, AS_OF, 60)
    closing = _day(rng, AS_OF, 90)
    facts = {
        A + "qpo_date": rng.choice((None, _day(rng, closing, 10))),
        A + "redemption_closing": closing,
        A + "market": rng.choice(MARKETS),
        A + "trading_days": tuple(days),
        A + "registered_public_shares": registered,
        A + "agreed_price_per_share": rng.choice((None, _near(rng, price, 0.2))),
        A + "agreement_reached": notice + dt.timedelta(days=rng.randint(25, 35)),
        A + "investors_notice_received": notice,
        A + "conversion_shares": Decimal(rng.randint(1, 5) * 1_000_000),
        A + "series_a_liquidation_amount": Decimal(rng.randint(20, 45) * 1_000_000),
        A + "board_appraiser_appointed": rng.choice((None, notice, notice)),
        A + "holders_appraiser_appointed": rng.choice((None, notice, notice)),
        A + "appraisers_agreed_value": rng.choice((None, None, None, _near(rng, board, 0.05))),
        A + "board_appraisal": board,
        A + "holders_appraisal": holders,
        A + "third_appraisal": _near(rng, (board + holders) / 2, 0.3),
    }
    factor = rng.choice((Decimal(1), Decimal(2), Decimal("0.5")))
    tier = rng.choice((6_000_000, 9_000_000, 12_000_000))
    holdings = sorted(({"day": _day(rng, AS_OF, 40), "shares": (tier * factor + rng.choice((-1, 0, 1)) * 1000)}
                       for _ in range(rng.randint(1, 3))), key=lambda h: h["day"])
    facts |= {H + "split_factor_since_2001": factor, H + "investor_holdings": tuple(holdings),
              H + "section_5_legal_end_date": rng.choice((None, None, _day(rng, AS_OF, 30)))}
    transfer = {"transferor": rng.choice(("investor", "investor", "loftin")),
                "transferee": tuple(rng.sample(KINDS, rng.randint(0, 2))),
                "share_class": "series_b_preferred", "shares": Decimal(1000),
                "date": _day(rng, dt.date(2001, 12, 31), 3), "gift": rng.choice((None, True, False)),
                "liquidation": rng.choice((None, False, True)), "sale_of_company": rng.choice((False, False, True))}
    return facts, transfer


def fact_sets(count: int, seed: int = 2001):
    """`count` fact sets, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield fact_set(rng)


def as_json(facts: dict) -> str:
    """A fact set as one line of JSON Lines (qualified names, exact numbers as text)."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if isinstance(value, (Decimal, dt.date)):
            return str(value)
        return value
    return json.dumps({k: plain(v) for k, v in facts.items()})
