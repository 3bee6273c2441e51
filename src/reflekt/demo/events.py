"""The demo tracking plan: Segment's e-commerce spec, as data.

One table drives both the JSON schemas written under schemas/segment/ecommerce and the raw
warehouse tables in data/demo.duckdb, so the two can never disagree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Sample = Callable[[random.Random], Any]

PRODUCTS = [
    ("p-101", "SKU-CHAIR-OAK", "Furniture", "Oak Chair", "Woodwork", 129.0),
    ("p-102", "SKU-DESK-PINE", "Furniture", "Pine Desk", "Woodwork", 349.0),
    ("p-201", "SKU-LAMP-BRASS", "Lighting", "Brass Lamp", "Glow", 79.5),
    ("p-202", "SKU-BULB-LED", "Lighting", "LED Bulb", "Glow", 6.99),
    ("p-301", "SKU-MUG-BLUE", "Kitchen", "Blue Mug", "Potters", 14.0),
    ("p-302", "SKU-KETTLE-STEEL", "Kitchen", "Steel Kettle", "Potters", 59.0),
]


@dataclass(frozen=True)
class Prop:
    name: str
    type: str  # JSON Schema type
    description: str
    sample: Sample
    children: tuple[Prop, ...] = ()  # object properties: flattened to <name>_<child> columns
    items: dict[str, Any] | None = None  # array item schema
    bounds: dict[str, Any] | None = None  # string bounds (maxLength/enum/format); default maxLength 255


@dataclass(frozen=True)
class DemoEvent:
    name: str
    version: str
    description: str
    call: str  # segment call: track, identify, page, group
    props: tuple[Prop, ...]
    required: tuple[str, ...] = ()
    product_owner: str = "product-ecommerce@example.com"
    code_owner: str = "web-team"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> str:
        """Where Segment lands this event in the warehouse."""
        special = {"identify": "identifies", "page": "pages", "group": "groups"}
        return special.get(self.call) or self.name.lower().replace(" ", "_")


def _product(rng: random.Random) -> tuple:
    # the data generator pins one product per row so product_id, name and price agree
    return getattr(rng, "product", None) or rng.choice(PRODUCTS)


def _p(name: str, type_: str, description: str, sample: Sample, **kw: Any) -> Prop:
    return Prop(name, type_, description, sample, **kw)


def _products_json(rng: random.Random) -> str:
    import json

    chosen = rng.sample(PRODUCTS, rng.randint(1, 3))
    return json.dumps(
        [{"product_id": p[0], "sku": p[1], "price": p[5], "quantity": rng.randint(1, 3)} for p in chosen]
    )


PRODUCTS_ITEMS = {
    "type": "object",
    "properties": {
        "product_id": {"type": "string", "maxLength": 64, "description": "Database id of the product."},
        "sku": {"type": ["string", "null"], "maxLength": 64, "description": "Stock keeping unit of the product."},
        "price": {"type": ["number", "null"], "description": "Unit price of the product in the order currency."},
        "quantity": {"type": ["integer", "null"], "description": "Number of units of the product."},
    },
    "required": ["product_id"],
    "additionalProperties": False,
}

PRODUCT_ID = _p("product_id", "string", "Database id of the product.", lambda r: _product(r)[0])
SKU = _p("sku", "string", "Stock keeping unit of the product.", lambda r: _product(r)[1])
CATEGORY = _p("category", "string", "Category of the product.", lambda r: _product(r)[2])
PRODUCT_NAME = _p("name", "string", "Name of the product.", lambda r: _product(r)[3])
BRAND = _p("brand", "string", "Brand of the product.", lambda r: _product(r)[4])
PRICE = _p("price", "number", "Unit price of the product in the currency.", lambda r: _product(r)[5])
CURRENCY = _p(
    "currency", "string", "ISO 4217 currency code.", lambda r: r.choice(["USD", "EUR"]), bounds={"enum": ["USD", "EUR"]}
)
QUANTITY = _p("quantity", "integer", "Number of units.", lambda r: r.randint(1, 4))
CART_ID = _p("cart_id", "string", "Id of the shopping cart.", lambda r: f"cart-{r.randint(1000, 9999)}")
ORDER_ID = _p("order_id", "string", "Id of the order.", lambda r: f"ord-{r.randint(10000, 99999)}")
COUPON = _p("coupon", "string", "Coupon code used, if any.", lambda r: r.choice([None, "SPRING10", "WELCOME"]))
PRODUCTS_PROP = _p(
    "products", "array", "Products in the cart or order.", _products_json, items=PRODUCTS_ITEMS
)
MONEY = lambda lo, hi: (lambda r: round(r.uniform(lo, hi), 2))

EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "Identify",
        "1-0",
        "Identify call: ties a user to their traits.",
        "identify",
        (
            _p("email", "string", "Email address of the user.", lambda r: f"user{r.randint(1, 999)}@example.com"),
            _p("first_name", "string", "First name of the user.", lambda r: r.choice(["Ada", "Lin", "Sam", "Kai"])),
            _p("plan", "string", "Subscription plan of the user.", lambda r: r.choice(["free", "pro"])),
        ),
        required=("email",),
        code_owner="identity-team",
    ),
    DemoEvent(
        "Group",
        "1-0",
        "Group call: ties a user to a company account.",
        "group",
        (
            _p("group_id", "string", "Id of the company account.", lambda r: f"acct-{r.randint(1, 12)}"),
            _p("industry", "string", "Industry of the company.", lambda r: r.choice(["retail", "media"])),
            _p("employees", "integer", "Number of employees of the company.", lambda r: r.randint(5, 500)),
        ),
        required=("group_id",),
        code_owner="identity-team",
    ),
    DemoEvent(
        # Segment page() calls: the name "Page" is how pull and the Segment layout know them
        "Page",
        "1-0",
        "Page call: a user viewed a page of the store.",
        "page",
        (
            _p("name", "string", "Name of the page.", lambda r: r.choice(["Home", "Catalog", "Product"])),
            _p("path", "string", "Path of the page URL.", lambda r: r.choice(["/", "/catalog", "/p/101"])),
            _p("url", "string", "Full URL of the page.", lambda r: "https://shop.example.com/"),
            _p("title", "string", "Title of the page.", lambda r: "Example Shop"),
            _p("referrer", "string", "Referrer URL of the page view.", lambda r: r.choice([None, "https://duckduckgo.com/"])),
        ),
        required=("path", "url"),
    ),
    DemoEvent(
        "Products Searched",
        "1-0",
        "A user searched the product catalog.",
        "track",
        (_p("query", "string", "Search terms typed by the user.", lambda r: r.choice(["chair", "lamp", "mug"])),),
        required=("query",),
    ),
    DemoEvent(
        "Product Viewed",
        "1-0",
        "A user viewed the details of a product.",
        "track",
        (
            PRODUCT_ID, SKU, CATEGORY, PRODUCT_NAME, BRAND, PRICE, CURRENCY,
            _p("position", "integer", "Position of the product in the list it was shown in.", lambda r: r.randint(1, 12)),
            _p("url", "string", "URL of the product page.", lambda r: "https://shop.example.com/p/101"),
            _p("image_url", "string", "URL of the product image.", lambda r: "https://cdn.example.com/p/101.png"),
        ),
        required=("product_id", "name", "price"),
    ),
    DemoEvent(
        "Product Added",
        "1-0",
        "A user added a product to their cart.",
        "track",
        (CART_ID, PRODUCT_ID, SKU, CATEGORY, PRODUCT_NAME, BRAND, PRICE, QUANTITY, COUPON),
        required=("product_id", "quantity"),
    ),
    DemoEvent(
        "Cart Viewed",
        "1-0",
        "A user viewed their shopping cart.",
        "track",
        (CART_ID, PRODUCTS_PROP),
        required=("cart_id",),
    ),
    DemoEvent(
        "Cart Viewed",
        "2-0",
        "A user viewed their shopping cart (v2 adds the cart value, now required).",
        "track",
        (CART_ID, PRODUCTS_PROP, _p("value", "number", "Total value of the cart.", MONEY(10, 600)), CURRENCY),
        required=("cart_id", "value"),
    ),
    DemoEvent(
        "Checkout Started",
        "1-0",
        "A user started the checkout of their cart.",
        "track",
        (
            ORDER_ID,
            _p("value", "number", "Value of the order before discounts.", MONEY(10, 600)),
            _p(
                "shipping",
                "object",
                "Shipping chosen for the order.",
                lambda r: None,
                children=(
                    _p("method", "string", "Shipping method.", lambda r: r.choice(["standard", "express"])),
                    _p("cost", "number", "Shipping cost.", MONEY(0, 25)),
                ),
            ),
            COUPON,
            CURRENCY,
            PRODUCTS_PROP,
        ),
        required=("order_id",),
    ),
    DemoEvent(
        "Order Completed",
        "1-0",
        "A user completed an order.",
        "track",
        (
            ORDER_ID,
            _p("checkout_id", "string", "Id of the checkout session.", lambda r: f"chk-{r.randint(1000, 9999)}"),
            _p("total", "number", "Total paid, after discounts, with shipping and taxes.", MONEY(10, 700)),
            _p("revenue", "number", "Revenue of the order, without shipping and taxes.", MONEY(10, 600)),
            _p("tax", "number", "Taxes of the order.", MONEY(1, 60)),
            _p("discount", "number", "Discount applied to the order.", MONEY(0, 30)),
            _p("is_gift", "boolean", "Whether the order is a gift.", lambda r: r.random() < 0.2),
            COUPON,
            CURRENCY,
            PRODUCTS_PROP,
        ),
        required=("order_id", "total"),
    ),
)
