"""Every write of the marketplace, by theme (see each module's docstring):

- `services_wallet`: wallets, deposits, withdrawals, holds and transfers;
- `services_listings`: listings, their pictures and the stock they reserve;
- `services_trade`: offers, buy now, delivery, confirmation, approval, cancellation;
- `services_profile`: the business's marketplace profile.
"""

from hanout.marketplace import services_listings, services_profile, services_trade, services_wallet

ACTION_LABELS = {
    **services_wallet.ACTION_LABELS,
    **services_listings.ACTION_LABELS,
    **services_trade.ACTION_LABELS,
    **services_profile.ACTION_LABELS,
}
