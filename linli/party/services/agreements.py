"""Co-building agreements (共建协议) between a community and a unit: commitments (what, how
often, for whom) and each delivery recorded; the yearly fulfilment rate is `rates.py`
(the agreements part fills this in)."""
