"""Seeded examples for the intents a shop needs that the Bitext set lacks.

Bitext's 27 intents have no "it arrived broken", "you sent the wrong one", "can I swap it",
"is it dishwasher safe" or "does my code work". This generator writes such messages from
phrase lists, with the variation Bitext has (politeness, casual openers, order numbers, typos,
no punctuation). Each intent's core phrases are split: the first ones make training
examples, the rest (`held_out=True`) make evaluation examples in phrasings the model never
saw, so the reported score is not a replay of the training templates.

It also writes `out_of_scope_examples`: mail a shop receives that is no request at all
(greetings, thanks, newsletters, invoices from suppliers), used to choose the confidence
below which the intent is "other".
"""

from __future__ import annotations

import random

PRODUCTS = ["mug", "candle", "vase", "scarf", "tote bag", "notebook", "teapot", "cushion", "planter",
            "puzzle", "soap bar", "dress", "jacket", "shoes", "lamp", "necklace", "blanket", "backpack",
            "bowl", "throw", "wooden train", "tea sampler", "plate set", "wallet", "hoodie"]
COLOURS = ["red", "blue", "green", "black", "white", "grey", "pink", "yellow"]
SIZES = ["small", "medium", "large", "XL", "size 8", "size 10", "size 38", "the bigger size"]
OPENERS = ["", "", "", "hi, ", "hello, ", "hey ", "good morning, ", "dear team, ", "hi there, ", "hello! ",
           "sorry to bother you but ", "quick question: ", "excuse me, "]
CLOSERS = ["", "", "", " thanks", " thank you", " please help", " can you help?", " thanks in advance",
           " what should I do?", " please advise", " kind regards", "!!"]

CORE: dict[str, list[str]] = {
    "damaged_item": [
        "my {product} arrived broken",
        "the {product} came damaged",
        "the {product} in order {order} was cracked when I opened the box",
        "the parcel was crushed and the {product} inside is broken",
        "I received a damaged {product}",
        "the {product} is faulty and does not work",
        "my {product} arrived with a big scratch",
        "the {product} I got is defective",
        "the {product} was smashed in the post",
        "item arrived in pieces, order {order}",
        "the {product} has a hole in it, it came like that",
        "the {product} stopped working after one day",
        "the glass of the {product} was shattered on arrival",
        "there is a stain on the {product} you sent me",
        "half of my order {order} is broken",
        "the {product} leaked all over the box",
        "your {product} arrived chipped",
        "the zip of the {product} is broken out of the box",
        "received my {product} today and it is damaged",
        "the handle of the {product} snapped off, it was packed badly",
    ],
    "wrong_item": [
        "I received the wrong item",
        "you sent me a {colour} {product} but I ordered a {colour2} one",
        "this is not what I ordered, I got a {product} instead",
        "the {product} in my order {order} is the wrong size",
        "I ordered {size} but you sent {size2}",
        "wrong product in my parcel",
        "my order {order} contains someone else's items",
        "I got a {product} that I never ordered",
        "the colour of the {product} is not the one I chose",
        "you sent the wrong {product}",
        "there is a mix-up with my order, the items are not mine",
        "I was sent the wrong model of {product}",
        "the package had a {product} instead of the {product2} I paid for",
        "the {product} I received does not match the picture I ordered",
        "got the incorrect item in order {order}",
        "I ordered two {product}s and got two {product2}s",
        "the item in the box is different from my order",
        "you shipped me the wrong colour",
        "the label says {product} but it is a {product2}",
        "I think my order got swapped with another customer's",
    ],
    "exchange": [
        "can I exchange the {product} for a different colour",
        "I would like to swap my {product} for {size}",
        "is it possible to exchange an item",
        "I want to exchange the {product} for a bigger size",
        "can I change the {product} I received for another one",
        "how do I exchange my order {order}",
        "I'd like to trade the {colour} {product} for a {colour2} one",
        "do you do exchanges",
        "can I get {size} instead of {size2}, I'll send this one back",
        "I need to exchange a {product} that does not fit",
        "please exchange my {product} for the {product2}",
        "exchange the {product} from order {order} please",
        "can I swap it for something else of the same price",
        "what is your exchange process",
        "the {product} is too small, can I exchange it",
        "I want a different size of the {product}, can we swap",
        "could I exchange this gift for another item",
        "I'd like an exchange not a refund",
        "send me the {colour} one and I'll return this {product}",
        "can I replace the {product} with another style",
    ],
    "product_question": [
        "is the {product} dishwasher safe",
        "what are the dimensions of the {product}",
        "what is the {product} made of",
        "does the {product} come in {colour}",
        "is the {product} back in stock",
        "how big is the {product}",
        "is the {product} suitable for children",
        "what size should I get, I am usually {size}",
        "does the {product} run small",
        "is the {product} handmade",
        "how long does the {product} last",
        "can the {product} be washed in the machine",
        "is the {product} vegan",
        "what material is the {product}",
        "will you restock the {colour} {product}",
        "how much does the {product} weigh",
        "is the {product} waterproof",
        "do you sell the {product} in {size}",
        "can you tell me more about the {product}",
        "is the {product} ok for a gift, does it come boxed",
    ],
    "discount_question": [
        "do you have a discount code",
        "my promo code does not work",
        "is there a student discount",
        "when is your next sale",
        "can I use two coupons on one order",
        "the discount was not applied to my order {order}",
        "do you offer free shipping codes",
        "I forgot to use my voucher, can you apply it",
        "is there a discount for buying several {product}s",
        "the coupon says it is expired",
        "do you do a first order discount",
        "can I get a price match on the {product}",
        "why did my code not take off 10%",
        "is the {product} going on sale soon",
        "do you have any offers on at the moment",
        "my gift voucher code is invalid",
        "is there a loyalty discount for returning customers",
        "can you give me a discount on the {product}",
        "how do I use a promo code at checkout",
        "the sale price was not charged, I paid full price",
    ],
}
HELD_OUT_SHARE = 0.25

OUT_OF_SCOPE = [
    "thanks so much!", "thank you", "hello", "hi", "ok great", "see you soon", "merry christmas to the team",
    "happy new year", "have a nice weekend", "great, thanks", "noted", "sounds good", "cheers",
    "your weekly newsletter digest", "new arrivals this week at our store", "meeting tomorrow at 10",
    "invoice 0 from your supplier is attached", "please find the price list attached", "lunch on friday?",
    "your account statement is ready", "reminder: team call on monday", "we are hiring a sales manager",
    "congratulations on the new shop", "the weather is lovely today", "test", "asdf", "lol",
    "i will be on holiday next week", "please unsubscribe the old address from the supplier list",
    "the courier van is blocking the driveway", "can we reschedule our photo shoot",
    "wholesale catalogue for the spring season", "your domain renewal is due",
    "i love the colours in your instagram post", "we met at the craft fair last saturday",
]


def _typo(text: str, rng: random.Random) -> str:
    """One dropped or swapped letter, as hurried customers write."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
    return " ".join(words)


def _fill(phrase: str, rng: random.Random) -> str:
    product, product2 = rng.sample(PRODUCTS, 2)
    colour, colour2 = rng.sample(COLOURS, 2)
    size, size2 = rng.sample(SIZES, 2)
    order = rng.choice(["#" + str(rng.randint(1000, 99999)), str(rng.randint(100000, 99999999)),
                        "number " + str(rng.randint(1000, 999999))])
    return phrase.format(product=product, product2=product2, colour=colour, colour2=colour2,
                         size=size, size2=size2, order=order)


def _message(phrase: str, rng: random.Random) -> str:
    text = rng.choice(OPENERS) + _fill(phrase, rng) + rng.choice(["", "", ".", "?", "!", "..."])
    text += rng.choice(CLOSERS)
    if rng.random() < 0.15:
        text = _typo(text, rng)
    if rng.random() < 0.3:
        text = text.lower()
    elif rng.random() < 0.1:
        text = text[:1].upper() + text[1:]
    return text


def _split(phrases: list[str]) -> tuple[list[str], list[str]]:
    cut = len(phrases) - max(1, round(len(phrases) * HELD_OUT_SHARE))
    return phrases[:cut], phrases[cut:]


def intent_examples(per_intent: int = 240, *, seed: int = 21, held_out: bool = False) -> list[tuple[str, str]]:
    """(text, intent) pairs for the extra intents; `held_out` uses only the reserved phrasings."""
    rng = random.Random(seed)
    out = []
    for intent, phrases in CORE.items():
        train, test = _split(phrases)
        pool = test if held_out else train
        out += [(_message(rng.choice(pool), rng), intent) for _ in range(per_intent)]
    return out


def out_of_scope_examples(count: int = 300, *, seed: int = 23, held_out: bool = False) -> list[str]:
    """Mail that asks nothing a support intent covers (`held_out`: only the reserved phrasings)."""
    rng = random.Random(seed)
    train, test = _split(OUT_OF_SCOPE)
    pool = test if held_out else train
    return [(rng.choice(["", "", "hi, ", "hello "]) + rng.choice(pool) + rng.choice(["", ".", "!"]))
            for _ in range(count)]


THANKS = ["thank you so much, the {product} is lovely", "got my {product} today, love it",
          "great service, thanks again", "the {product} arrived quickly and looks beautiful",
          "just wanted to say thanks, very happy with my order", "perfect, thank you for the quick help",
          "my daughter loves the {product}, thank you", "fast delivery and lovely packaging, thanks",
          "you have been very helpful, thank you", "brilliant, that solved it"]


def thanks_examples(count: int = 200, *, seed: int = 24) -> list[str]:
    """Happy messages (for the message sentiment model's positive side)."""
    rng = random.Random(seed)
    return [_message(rng.choice(THANKS), rng) for _ in range(count)]
