"""Imports every domain's models so that the metadata (and Alembic) sees them all."""

from marketplace.accounts.models import User  # noqa: F401
from marketplace.api.models import ApiCheckoutState  # noqa: F401
from marketplace.bulk.models import ImportJob  # noqa: F401
from marketplace.catalog.models import Category, Certification, Product, ProductImage, Variant  # noqa: F401
from marketplace.channels.models import (  # noqa: F401
    ChannelAccount,
    ChannelBundle,
    ChannelBundleComponent,
    ChannelDriftReport,
    ChannelLease,
    ChannelListing,
    ChannelSyncLog,
)
from marketplace.channels.pull.models import ChannelEvent  # noqa: F401
from marketplace.checkout.models import Address, Cart, CartLine, ShippingRate  # noqa: F401
from marketplace.inventory.models import Allocation, Reservation, Stock, StockMovement, Warehouse  # noqa: F401
from marketplace.koperasi.models import AuditEntry, Invitation, Koperasi, Membership, Pesantren  # noqa: F401
from marketplace.mail.models import MailDelivery  # noqa: F401
from marketplace.opop.models import (  # noqa: F401
    Application,
    ApplicationDocument,
    Cohort,
    Decision,
    FlagshipMark,
)
from marketplace.orders.models import Order, OrderLine, OrderStatusChange, PartnerOrder  # noqa: F401
from marketplace.outbox.models import OutboxEvent  # noqa: F401
from marketplace.payments.models import Payment, PaymentEvent, Refund  # noqa: F401
from marketplace.payments.transfer_models import KoperasiPaymentSettings, TransferProof  # noqa: F401
