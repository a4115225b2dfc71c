"""Small export files built from REAL header rows (../shared/data/export-formats.md), for tests.

Header strings below are copied from export-formats.md (section and source named on each);
the data rows are made up. Layouts not in that file say where they come from.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

# §1 Shopify orders export, 2022 layout (oks234/customer_vip : orders_export_1.csv), 73 columns
SHOPIFY_ORDERS_2022 = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,"
    "Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,"
    "Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,"
    "Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,"
    "Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
    "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Id,Tags,Risk Level,Source,Lineitem discount,"
    "Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,"
    "Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment Terms Name,"
    "Next Payment Due At"
)
# The 2025 vintage grew to 79 columns; these are the names export-formats.md lists as added.
SHOPIFY_ORDERS_2025_EXTRA = [
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Payment ID",
    "Payment References",
]

# §1 Shopify products export, 2021 layout (PacktPublishing/... : products_export_1.csv), 48 columns
SHOPIFY_PRODUCTS_2021 = (
    "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
    "Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,"
    "Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,"
    "Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,Google Shopping / Gender,"
    "Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / AdWords Grouping,"
    "Google Shopping / AdWords Labels,Google Shopping / Condition,Google Shopping / Custom Product,"
    "Google Shopping / Custom Label 0,Google Shopping / Custom Label 1,Google Shopping / Custom Label 2,"
    "Google Shopping / Custom Label 3,Google Shopping / Custom Label 4,Variant Image,Variant Weight Unit,"
    "Variant Tax Code,Cost per item,Status"
)
# §1 Shopify official product template, 2025 layout (GoncharIV/Shopify-training), 48 columns
SHOPIFY_PRODUCTS_2025 = (
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,"
    "Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,"
    "Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,"
    "Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,"
    "Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,"
    "Google Shopping / Gender,Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / Condition,"
    "Google Shopping / Custom Product,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,"
    "Included / United States,Price / United States,Compare At Price / United States,Included / International,"
    "Price / International,Compare At Price / International,Status"
)
# §1 Shopify customers export, 2018 layout (LiquidIQ/imagezoo-scripts), 19 columns
SHOPIFY_CUSTOMERS_2018 = (
    "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,Zip,"
    "Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt"
)
# §1 Shopify customers export, 2024 layout (Mobeen-Dev/Emails_Sender_Bot_script), 20 columns
SHOPIFY_CUSTOMERS_2024 = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags"
)
# §1 Square item sales detail, 33 columns (zoetankersley/sunrise_social_club : item_sales_may.csv)
SQUARE_ITEMS = (
    "Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Modifiers Applied,Gross Sales,Discounts,"
    "Net Sales,Tax,Transaction ID,Payment ID,Device Name,Notes,Details,Event Type,Location,Dining Option,"
    "Customer ID,Customer Name,Customer Reference ID,Unit,Count,GTIN,Itemization Type,Fulfillment Note,Channel,"
    "Token,Card Brand,PAN Suffix"
)
# NOT in export-formats.md: Square "Transactions" export as described in Square's help pages.
SQUARE_TRANSACTIONS = (
    "Date,Time,Time Zone,Gross Sales,Discounts,Service Charges,Net Sales,Gift Card Sales,Tax,Tip,"
    "Partial Refunds,Total Collected,Source,Card,Card Entry Methods,Cash,Square Gift Card,Other Tender,"
    "Other Tender Type,Other Tender Note,Fees,Net Total,Transaction ID,Payment ID,Card Brand,PAN Suffix,"
    "Device Name,Staff Name,Staff ID,Details,Description,Event Type,Location,Dining Option,Customer ID,"
    "Customer Name,Customer Reference ID,Device Nickname"
)
# §1 WooCommerce product CSV (woocommerce/woocommerce : sample-data/sample_products.csv), 51 columns
WOO_PRODUCTS = (
    'ID,Type,SKU,Name,Published,"Is featured?","Visibility in catalog","Short description",Description,'
    '"Date sale price starts","Date sale price ends","Tax status","Tax class","In stock?",Stock,'
    '"Backorders allowed?","Sold individually?","Weight (lbs)","Length (in)","Width (in)","Height (in)",'
    '"Allow customer reviews?","Purchase note","Sale price","Regular price",Categories,Tags,"Shipping class",'
    'Images,"Download limit","Download expiry days",Parent,"Grouped products",Upsells,Cross-sells,'
    '"External URL","Button text",Position,"Attribute 1 name","Attribute 1 value(s)","Attribute 1 visible",'
    '"Attribute 1 global","Attribute 2 name","Attribute 2 value(s)","Attribute 2 visible","Attribute 2 global",'
    '"Meta: _wpcom_is_markdown","Download 1 name","Download 1 URL","Download 2 name","Download 2 URL"'
)
# NOT in export-formats.md (WooCommerce core has no order exporter): the two plugin layouts in
# common use, as their documentation lists the default columns.
WOO_ORDERS_ADVANCED_EXPORT = (
    "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),Last Name (Billing),"
    "Company (Billing),Address 1&2 (Billing),City (Billing),State Code (Billing),Postcode (Billing),"
    "Country Code (Billing),Email (Billing),Phone (Billing),First Name (Shipping),Last Name (Shipping),"
    "Address 1&2 (Shipping),City (Shipping),State Code (Shipping),Postcode (Shipping),Country Code (Shipping),"
    "Payment Method Title,Cart Discount Amount,Order Subtotal Amount,Shipping Method Title,"
    "Order Shipping Amount,Order Refund Amount,Order Total Amount,Order Total Tax Amount,SKU,Item #,"
    "Item Name,Quantity (- Refund),Item Cost,Coupon Code,Discount Amount,Discount Amount Tax"
)
WOO_ORDERS_SKYVERGE = (
    "order_id,order_number,order_date,status,shipping_total,shipping_tax_total,fee_total,tax_total,"
    "cart_discount,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,"
    "customer_id,billing_first_name,billing_last_name,billing_email,billing_postcode,billing_country,"
    "shipping_postcode,shipping_country,item_name,item_sku,item_quantity,item_subtotal,item_total"
)
# §3 Etsy sold order items, variant A (29 columns) and B (32 columns); Etsy sold orders (36)
ETSY_ITEMS_A = (
    "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,"
    "Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Shipped,"
    "Ship Name,Ship Address1,Ship Address2,Ship City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,"
    "Order Type,Listings Type,Payment Type"
)
ETSY_ITEMS_B = (
    "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,"
    "Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Shipped,"
    "Ship Name,Ship Address1,Ship City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,"
    "Listings Type,Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU"
)
ETSY_ORDERS = (
    "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,"
    "Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value,"
    "Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Shipping,Sales Tax,Order Total,Status,"
    "Card Processing Fees,Order Net,Adjusted Order Total,Adjusted Card Processing Fees,"
    "Adjusted Net Order Amount,Buyer,Order Type,Payment Type,InPerson Discount,InPerson Location,SKU"
)
# §2 Amazon all-orders flat file (ReportFbaSalesAllByLastUpdateFlatFile), tab-delimited, 32 columns
AMAZON_ORDERS = (
    "amazon-order-id | merchant-order-id | purchase-date | last-updated-date | order-status | "
    "fulfillment-channel | sales-channel | order-channel | url | ship-service-level | product-name | sku | asin | "
    "item-status | quantity | currency | item-price | item-tax | shipping-price | shipping-tax | gift-wrap-price | "
    "gift-wrap-tax | item-promotion-discount | ship-promotion-discount | ship-city | ship-state | "
    "ship-postal-code | ship-country | promotion-ids | is-business-order | purchase-order-number | "
    "price-designation"
).replace(" | ", "\t")
# UCI Online Retail header (../shared/data/online-retail-*/PROVENANCE.md)
ONLINE_RETAIL = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"


def header_list(header: str, delimiter: str = ",") -> list[str]:
    return next(csv.reader([header], delimiter=delimiter))


def export_text(header: str, rows: list[dict], delimiter: str = ",") -> str:
    """CSV text with the real header; each row gives only the columns it fills."""
    names = header_list(header, "\t" if "\t" in header else ",")
    unknown = {k for row in rows for k in row} - set(names)
    assert not unknown, f"columns not in the header: {unknown}"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return buffer.getvalue()


def write_export(
    path: Path, header: str, rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    path.write_bytes(export_text(header, rows, delimiter).encode(encoding))
    return path
