"""The canonical store schema, as an ordered list of migrations.

Migration N brings the database from user_version N-1 to N. Never edit a shipped migration;
append a new one. Source identifiers (SKU, order id, customer id) are TEXT, kept verbatim.

Conventions used by every table:
- `created_at` of an order is the shop's local wall-clock time, 'YYYY-MM-DD HH:MM:SS';
  `utc_offset_minutes` keeps the zone when the export had one.
- Money is REAL in the order's currency; quantities are REAL (Square exports `1.0`).
- `import_id` names the import that last wrote the row (NULL for demo/simulated rows
  written without an import); `import_changes` keeps the previous version of rows an
  import updated, so that the import can be undone exactly.
"""

MIGRATIONS: list[str] = [
    # 1: the canonical tables
    """
    CREATE TABLE imports (
        import_id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        started_at TEXT NOT NULL,
        seconds REAL,
        rows_read INTEGER,
        status TEXT NOT NULL DEFAULT 'done',      -- done | undone
        report_json TEXT
    );
    CREATE INDEX imports_sha ON imports(file_sha256);

    CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        title TEXT,
        vendor TEXT,
        category TEXT,
        tags TEXT,
        price REAL,
        compare_at_price REAL,
        unit_cost REAL,
        is_product INTEGER NOT NULL DEFAULT 1,    -- 0 for postage, fees, gift cards
        status TEXT,                              -- active | draft | archived
        import_id INTEGER
    );

    CREATE TABLE customers (
        customer_id TEXT PRIMARY KEY,
        email_hash TEXT,
        email TEXT,                               -- NULL when privacy mode is on
        name TEXT,                                -- NULL when privacy mode is on
        initials TEXT,
        country TEXT,
        city TEXT,
        zip TEXT,
        accepts_marketing INTEGER,
        import_id INTEGER
    );
    CREATE INDEX customers_email ON customers(email_hash);

    CREATE TABLE orders (
        order_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        utc_offset_minutes INTEGER,
        customer_id TEXT,                         -- NULL for guest orders
        email_hash TEXT,
        email_domain TEXT,                        -- kept in privacy mode: fraud signals need it
        email_local_score REAL,                   -- 0..1, how random the part before @ looks
        currency TEXT,
        subtotal REAL,
        shipping REAL,
        taxes REAL,
        discount_amount REAL,
        discount_code TEXT,
        total REAL,
        refunded_amount REAL NOT NULL DEFAULT 0,
        financial_status TEXT,
        payment_method TEXT,
        shipping_method TEXT,
        billing_name_hash TEXT,
        shipping_name_hash TEXT,
        billing_country TEXT,
        shipping_country TEXT,
        billing_zip TEXT,
        shipping_zip TEXT,
        cancelled_at TEXT,
        is_refund INTEGER NOT NULL DEFAULT 0,     -- a refund/credit note (UCI 'C' invoices)
        source TEXT,                              -- platform the order came from
        import_id INTEGER
    );
    CREATE INDEX orders_created ON orders(created_at);
    CREATE INDEX orders_customer ON orders(customer_id);

    CREATE TABLE order_lines (
        order_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,                 -- position of the line within its order
        sku TEXT,
        title TEXT,
        quantity REAL NOT NULL,                   -- negative for returns/refunds
        unit_price REAL,
        line_total REAL,                          -- quantity * unit_price - line discount
        is_refund INTEGER NOT NULL DEFAULT 0,
        is_product INTEGER NOT NULL DEFAULT 1,
        import_id INTEGER,
        PRIMARY KEY (order_id, line_no)
    );
    CREATE INDEX order_lines_sku ON order_lines(sku);

    CREATE TABLE inventory (
        sku TEXT PRIMARY KEY,
        on_hand REAL,
        updated_at TEXT,
        import_id INTEGER
    );

    -- what the merchant edits in the app; never overwritten by an import
    CREATE TABLE product_settings (
        sku TEXT PRIMARY KEY,
        unit_cost REAL,
        lead_time_days REAL,
        review_period_days REAL,
        min_order_qty REAL,
        pack_size REAL,
        on_order REAL,
        service_level REAL,
        vendor TEXT,
        discontinued INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT
    );

    CREATE TABLE import_changes (
        import_id INTEGER NOT NULL,
        table_name TEXT NOT NULL,
        row_key TEXT NOT NULL,                    -- JSON list of the primary key values
        old_row TEXT                              -- JSON object; NULL when the row was new
    );
    CREATE INDEX import_changes_import ON import_changes(import_id);

    CREATE TABLE column_mappings (
        header_signature TEXT PRIMARY KEY,        -- sha256 of the normalised header row
        mapping_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE analysis_runs (
        run_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                       -- forecast | reorder | recommend | price | fraud | customers
        as_of TEXT,
        created_at TEXT NOT NULL,
        params_json TEXT,
        seconds REAL
    );

    -- results of analyses, tagged with the run that made them
    CREATE TABLE analysis_results (
        run_id INTEGER NOT NULL,
        subject TEXT NOT NULL,                    -- sku, order id or customer id, verbatim
        payload_json TEXT NOT NULL
    );
    CREATE INDEX analysis_results_run ON analysis_results(run_id, subject);

    -- the merchant's verdicts, for the learning loop
    CREATE TABLE feedback (
        feedback_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                       -- recommendation | price | fraud | reorder
        subject TEXT NOT NULL,                    -- sku / order id / customer id
        target TEXT,                              -- e.g. the recommended sku
        action TEXT NOT NULL,                     -- accepted | dismissed | fraud | legit | pinned | blocked
        created_at TEXT NOT NULL,
        note TEXT
    );
    CREATE INDEX feedback_kind ON feedback(kind, subject);

    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # 2: customer service: imported messages and reviews, and what the merchant did with them
    """
    CREATE TABLE messages (
        message_id TEXT PRIMARY KEY,              -- the Message-ID header, else a hash of the mail
        thread_id TEXT,                           -- the first message of the thread (References)
        in_reply_to TEXT,
        received_at TEXT,                         -- local wall-clock 'YYYY-MM-DD HH:MM:SS'
        sender_hash TEXT,                         -- salted hash of the address (matches customers.email_hash)
        sender_email TEXT,                        -- NULL when privacy mode is on
        sender_name TEXT,                         -- NULL when privacy mode is on
        sender_initials TEXT,
        recipient_hash TEXT,                      -- salted hash of the first To address (the shop's)
        subject TEXT,
        body TEXT,                                -- as written, quotes and signature kept (display)
        clean_text TEXT,                          -- quotes and signature stripped (classification)
        order_ref TEXT,                           -- an order number given in a column of a messages CSV
        source TEXT,                              -- mbox | eml | csv
        import_id INTEGER
    );
    CREATE INDEX messages_received ON messages(received_at);
    CREATE INDEX messages_sender ON messages(sender_hash);
    CREATE INDEX messages_thread ON messages(thread_id);

    CREATE TABLE reviews (
        review_id TEXT PRIMARY KEY,               -- the export's id, else a salted hash of the review
        product TEXT,                             -- handle / SKU / product id as the export writes it
        rating REAL,                              -- stars, 1..5
        title TEXT,
        body TEXT,
        created_at TEXT,
        reviewer_hash TEXT,                       -- salted hash of the email (else the name)
        reviewer_name TEXT,                       -- NULL when privacy mode is on
        reviewer_initials TEXT,
        reply TEXT,
        status TEXT,                              -- published | hidden | pending ... as exported
        source TEXT,                              -- judgeme | shopify_reviews | woocommerce | spreadsheet
        import_id INTEGER
    );
    CREATE INDEX reviews_product ON reviews(product);

    -- what the merchant did with a message; never touched by an import or its undo
    CREATE TABLE message_actions (
        message_id TEXT PRIMARY KEY,
        status TEXT NOT NULL DEFAULT 'open',      -- open | done
        draft TEXT,                               -- the merchant's edited draft, if any
        updated_at TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
