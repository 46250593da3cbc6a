"""The scene world's words: every word its language knows, in one place.

Each category lists its canonical values in a fixed order (the order of the
one-hot blocks in the conditioning vector, so never reorder, only append) and
the surface phrases that mean each value: synonyms, plurals, spellings.
The grammar's word terminals are generated from these tables (parser.py), the
encoder reads the value order, the world draws the values, and captions pick
phrasings from them.
"""
from __future__ import annotations

from dataclasses import replace

from ...lang.kinds import Category, normalize_phrase


def _category(name: str, terminal: str, table: dict[str, tuple[list[str], list[str]]]) -> Category:
    """Build a category from {value: ([singular phrases], [plural phrases])}."""
    phrases: dict[str, str] = {}
    plurals: set[str] = set()
    for value, (singular, plural) in table.items():
        for phrase in [value, *singular, *plural]:
            if phrases.setdefault(phrase, value) != value:
                raise ValueError(f"phrase {phrase!r} means two {name}s")
        plurals.update(plural)
    usual_plural = {value: plural[0] for value, (_, plural) in table.items() if plural}
    return Category(name, terminal, tuple(table), phrases, frozenset(plurals), usual_plural)


def _flat(table: dict[str, list[str]]) -> dict[str, tuple[list[str], list[str]]]:
    return {value: (phrases, []) for value, phrases in table.items()}


OBJECT = _category("object", "OBJECT", {
    "school bus": (["schoolbus", "bus"], ["school buses", "school busses", "schoolbuses", "buses", "busses"]),
    "car": (["automobile"], ["cars", "automobiles"]),
    "truck": (["lorry", "pickup truck"], ["trucks", "lorries", "pickup trucks"]),
    "boat": (["sailboat", "ship"], ["boats", "sailboats", "ships"]),
    "airplane": (["plane", "aeroplane", "jet", "aircraft"], ["airplanes", "planes", "aeroplanes", "jets"]),
    "house": (["home", "cottage"], ["houses", "homes", "cottages"]),
    "tree": ([], ["trees"]),
    "stop sign": (["stopsign"], ["stop signs", "stopsigns"]),
    "balloon": ([], ["balloons"]),
    "elephant": ([], ["elephants"]),
    "sun": ([], ["suns"]),
    "cloud": ([], ["clouds"]),
})

COLOR = _category("color", "COLOR", _flat({
    "red": ["crimson"],
    "orange": [],
    "yellow": [],
    "green": [],
    "blue": [],
    "purple": ["violet"],
    "pink": [],
    "brown": [],
    "white": [],
    "black": [],
    "gray": ["grey"],
}))

SIZE = _category("size", "SIZE", _flat({
    "small": ["little", "tiny"],
    "large": ["big", "huge", "giant"],
}))

COUNT = _category("count", "COUNT", _flat({
    "one": ["1", "a single", "one single"],
    "two": ["2", "a pair of", "a couple of"],
    "three": ["3"],
    "many": ["a herd of", "a group of", "a flock of", "a fleet of", "a bunch of", "a crowd of",
             "a row of", "many", "several", "lots of", "a lot of"],
}))

POSITION = _category("position", "POSITION", _flat({
    "left": ["on the left", "at the left", "to the left", "on the left side", "on the left hand side"],
    "center": ["in the center", "in the centre", "in the middle", "at the center", "at the centre"],
    "right": ["on the right", "at the right", "to the right", "on the right side", "on the right hand side"],
}))

RELATION = _category("relation", "RELATION", _flat({
    "left of": ["to the left of", "on the left of"],
    "right of": ["to the right of", "on the right of"],
    "above": ["on top of", "atop", "higher than"],
    "below": ["under", "underneath", "beneath", "lower than"],
    "next to": ["beside", "besides", "near", "by", "alongside", "close to", "nearby"],
}))

PLACE = _category("place", "PLACE", {
    "parking lot": (["car park", "parking area", "parking space"], ["parking lots", "car parks"]),
    "road": (["street", "highway"], ["roads", "streets", "highways"]),
    "beach": (["seaside", "shore", "sand"], ["beaches"]),
    "grass field": (["grassy field", "field", "meadow", "grass", "lawn", "park"],
                    ["grass fields", "grassy fields", "fields", "meadows"]),
    "snowy field": (["snow field", "snowfield", "snow", "snowy meadow"], ["snowy fields", "snow fields"]),
    "blue sky": (["sky", "air"], ["blue skies", "skies"]),
    "lake": (["pond", "water", "river"], ["lakes", "ponds", "rivers"]),
})

TIME = _category("time", "TIME", _flat({
    "day": ["at day", "by day", "during the day", "in the day", "daytime", "in the daytime", "at daytime",
            "during daytime", "in daylight", "in the morning", "at noon", "on a sunny day", "in the afternoon"],
    "night": ["at night", "by night", "during the night", "in the night", "nighttime", "at nighttime",
              "at night time", "in the dark", "at midnight", "in the evening"],
}))

# Words that carry no meaning beyond what they say: allowed, ignored.
ARTICLES = ("a", "an", "the")
VERBS = (
    "is", "are", "parked", "flying", "fly", "flies", "floating", "floats", "float", "sitting", "sits", "sit",
    "standing", "stands", "stand", "driving", "drives", "drive", "sailing", "sails", "sail", "shining",
    "shines", "drifting", "drifts", "growing", "grows", "waiting", "waits", "hovering", "hovers", "resting",
    "rests", "grazing", "graze", "walking", "walk", "walks", "stopped", "placed", "located", "seen", "that",
    "which", "there", "high", "up", "somewhere",
)
PREPOSITIONS = ("in", "on", "at", "over", "across", "along", "through", "inside", "onto", "upon", "into",
                "within", "around")

MAX_ITEMS = 3  # object slots in a scene

# Relations that are written the other way round in canonical form: "A right of B" is "B left of A".
MIRRORED_RELATIONS = {"right of": "left of", "below": "above"}

# Objects that live in the sky when a scene puts them on the ground (sun over a road, etc.).
SKY_OBJECTS = frozenset({"airplane", "balloon", "sun", "cloud"})



# ---- what people write for photos (COCO-style captions): read, never said by the world's captions

def _hear(cat: Category, table: dict[str, tuple[list[str], list[str]]]) -> Category:
    """The category with extra phrases read for its values: {value: ([singular], [plural])}."""
    extra = dict(cat.extra)
    for value, (singular, plural) in table.items():
        for phrase in [*singular, *plural]:
            if cat.heard.get(phrase, value) != value or extra.setdefault(phrase, value) != value:
                raise ValueError(f"phrase {phrase!r} means two {cat.name}s")
    plurals = cat.plurals | {p for _, plural in table.values() for p in plural}
    return replace(cat, extra=extra, plurals=frozenset(plurals))


OBJECT = _hear(OBJECT, {
    # a kind of thing the world draws one way (a city bus, a passenger jet) is the thing it draws
    "school bus": (["city bus", "passenger bus"], ["city buses"]),
    "car": (["sedan", "taxi", "cab", "suv"], ["sedans", "taxis", "cabs", "suvs"]),
    "truck": (["pickup", "pick up truck", "van", "dump truck", "fire truck", "delivery truck"],
              ["pickups", "vans", "dump trucks", "fire trucks"]),
    "boat": (["sail boat", "yacht", "canoe", "kayak", "fishing boat", "motor boat", "motorboat"],
             ["sail boats", "yachts", "canoes", "kayaks", "fishing boats"]),
    "airplane": (["airliner", "jetliner", "jet liner", "passenger jet", "passenger plane", "jumbo jet",
                  "jet airplane", "jet plane", "air plane"],
                 ["airliners", "jetliners", "passenger jets", "passenger planes", "jet planes"]),
    "house": (["cabin", "farmhouse", "farm house"], ["cabins", "farmhouses"]),
    "tree": (["pine tree", "palm tree", "oak tree"], ["pine trees", "palm trees", "oak trees"]),
    "balloon": (["hot air balloon", "hot-air balloon", "air balloon"], ["hot air balloons", "hot-air balloons"]),
})
COLOR = _hear(COLOR, {"red": (["maroon", "scarlet"], []), "blue": (["navy", "navy blue", "light blue", "dark blue"], []),
                      "brown": (["tan"], []), "gray": (["silver"], [])})
SIZE = _hear(SIZE, {"large": (["enormous", "massive", "tall"], [])})
COUNT = _hear(COUNT, {"many": (["some", "a few", "a number of", "a line of", "a pack of", "a family of", "numerous",
                                "multiple"], [])})
# The world stands things side by side: in front of and behind are drawn as next to.
RELATION = _hear(RELATION, {"next to": (["in front of", "behind", "outside", "outside of", "past", "near to"], [])})
PLACE = _hear(PLACE, {
    "parking lot": (["parking lot area", "parking garage"], ["parking spaces"]),
    "road": (["side of the road", "side of a road", "side of the street", "side of a street", "roadside",
              "road side", "edge of the road", "city street", "freeway", "intersection", "lane", "avenue",
              "dirt road", "country road"], ["city streets", "freeways"]),
    "beach": (["sandy beach", "shoreline", "coast", "beach front", "beachfront"], ["shores"]),
    "grass field": (["grassy area", "grass area", "grassland", "pasture", "savanna", "savannah", "open field",
                     "grassy plain", "plain", "field of grass", "grassy hill", "hill", "hillside", "farm", "yard",
                     "grassy yard"], ["grasslands", "pastures", "plains", "hills"]),
    "snowy field": (["snow covered field", "snow-covered field", "snowy hill", "snowy slope", "snowy area",
                     "snowy ground", "snow covered ground"], ["snowy hills"]),
    "blue sky": (["clear sky", "clear blue sky", "cloudy sky", "open sky", "blue skys"],
                 ["clear skies", "cloudy skies"]),
    "lake": (["ocean", "sea", "bay", "harbor", "harbour", "lagoon", "body of water", "marina", "waters"],
             ["oceans", "seas"]),
})
TIME = _hear(TIME, {
    "day": (["on a clear day", "on a bright day", "in broad daylight", "daylight", "sunny day"], []),
    "night": (["night time", "nightfall", "at dusk", "after dark"], []),
})

# Categories in the conditioning vector, per item slot and per scene.
ITEM_CATEGORIES = (OBJECT, COLOR, SIZE, COUNT, POSITION, RELATION)
SCENE_CATEGORIES = (PLACE, TIME)
WORD_CATEGORIES = (*ITEM_CATEGORIES, *SCENE_CATEGORIES)
BLENDABLE = (OBJECT, COLOR, SIZE, PLACE, TIME)  # attributes a (a:0.6, b:0.4) blend may mix

# Ignored like VERBS: more verbs as photo captions use them, framing words ("a picture of", "there is")
# and intensifiers ("a very large …").
FILLERS = (
    "parked up", "going", "goes", "traveling", "travelling", "travels", "moving", "moves", "riding", "rides",
    "cruising", "cruises", "heading", "heads", "coming", "comes", "taking off", "landing", "lands", "soaring",
    "soars", "gliding", "glides", "docked", "anchored", "moored", "lined up", "sitting parked", "shown",
    "pictured", "wandering", "roaming", "roams", "strolling", "crossing", "crosses", "passing", "passes",
    "being", "was", "were", "has been", "have been", "appears", "stays", "lies", "lying", "laying", "stuck",
    "sunk", "shining brightly", "shining bright",
    "a picture of", "a photo of", "a photograph of", "an image of", "a view of", "a close up of",
    "a closeup of", "this is", "there is", "there are", "here is", "it is", "next to each other",
    "side by side", "together", "alone", "by itself", "very", "really", "quite", "extremely", "pretty",
    "rather", "fairly", "so",
)
MORE_PREPOSITIONS = ("down", "toward", "towards", "among", "amongst", "amid", "throughout", "out on", "out in")
# Words that join two object groups without saying how they stand ("a house with a tree").
CONJUNCTIONS = ("and", "with", "along with", "together with", "as well as", "plus", "while")

# How canonical text says each place: 'a boat on the beach', 'a bus in the parking lot'.
PLACE_PREPOSITIONS = {"parking lot": "in", "road": "on", "beach": "on", "grass field": "in", "snowy field": "in",
                      "blue sky": "in", "lake": "on"}


def category(name: str) -> Category:
    for cat in WORD_CATEGORIES:
        if cat.name == name:
            return cat
    raise KeyError(name)


def all_phrases() -> list[str]:
    """Every phrase the language knows, for did-you-mean suggestions."""
    words = {p for cat in WORD_CATEGORIES for p in cat.phrases}  # said: the captioner's words follow these
    return sorted(words | set(ARTICLES) | set(VERBS) | set(PREPOSITIONS))


def kind_of_phrase(text: str) -> str | None:
    """The kind of word a phrase names ('on the beach' -> 'place'), or None if it is not one word of one kind."""
    words = normalize_phrase(text).split()
    while words and (words[0] in ARTICLES or words[0] in PREPOSITIONS):
        words = words[1:]
    phrase = " ".join(words)
    kinds = [cat.name for cat in WORD_CATEGORIES if phrase in cat.heard]
    return kinds[0] if len(kinds) == 1 else None
