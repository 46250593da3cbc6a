"""The scene vocabulary: every word the language knows, in one place.

Each category lists its canonical values in a fixed order (the order of the
one-hot blocks in the conditioning vector, so never reorder, only append) and
the surface phrases that mean each value: synonyms, plurals, spellings.
The grammar's word terminals are generated from these tables (parser.py), the
encoder reads the value order, the world draws the values, and captions pick
phrasings from them.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    """One kind of word: its terminal name, its values, and their phrases."""

    name: str
    terminal: str
    values: tuple[str, ...]
    phrases: dict[str, str]  # surface phrase (lower case) -> canonical value
    plurals: frozenset[str] = field(default_factory=frozenset)  # phrases that are plural
    plural: dict[str, str] = field(default_factory=dict)  # value -> its usual plural phrase

    def value_of(self, phrase: str) -> str:
        return self.phrases[normalize_phrase(phrase)]

    def index(self, value: str) -> int:
        return self.values.index(value)


def normalize_phrase(text: str) -> str:
    """Lower-case and collapse inner whitespace: 'Parking   Lot' -> 'parking lot'."""
    return " ".join(text.lower().split())


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
    # Synonyms as COCO-style captions name these things; a kind of thing the world draws one way
    # (a city bus, a passenger jet) is the thing it draws.
    "school bus": (["schoolbus", "bus", "city bus", "passenger bus"],
                   ["school buses", "school busses", "schoolbuses", "buses", "busses", "city buses"]),
    "car": (["automobile", "sedan", "taxi", "cab", "suv"],
            ["cars", "automobiles", "sedans", "taxis", "cabs", "suvs"]),
    "truck": (["lorry", "pickup truck", "pickup", "pick up truck", "van", "dump truck", "fire truck",
               "delivery truck"],
              ["trucks", "lorries", "pickup trucks", "pickups", "vans", "dump trucks", "fire trucks"]),
    "boat": (["sailboat", "sail boat", "ship", "yacht", "canoe", "kayak", "fishing boat", "motor boat",
              "motorboat"],
             ["boats", "sailboats", "sail boats", "ships", "yachts", "canoes", "kayaks", "fishing boats"]),
    "airplane": (["plane", "aeroplane", "jet", "aircraft", "airliner", "jetliner", "jet liner", "passenger jet",
                  "passenger plane", "jumbo jet", "jet airplane", "jet plane", "air plane"],
                 ["airplanes", "planes", "aeroplanes", "jets", "airliners", "jetliners", "passenger jets",
                  "passenger planes", "jet planes"]),
    "house": (["home", "cottage", "cabin", "farmhouse", "farm house"],
              ["houses", "homes", "cottages", "cabins", "farmhouses"]),
    "tree": (["pine tree", "palm tree", "oak tree"], ["trees", "pine trees", "palm trees", "oak trees"]),
    "stop sign": (["stopsign", "stop signal"], ["stop signs", "stopsigns"]),
    "balloon": (["hot air balloon", "hot-air balloon", "air balloon"],
                ["balloons", "hot air balloons", "hot-air balloons"]),
    "elephant": ([], ["elephants"]),
    "sun": ([], ["suns"]),
    "cloud": ([], ["clouds"]),
})

COLOR = _category("color", "COLOR", _flat({
    "red": ["crimson", "maroon", "scarlet"],
    "orange": [],
    "yellow": [],
    "green": [],
    "blue": ["navy", "navy blue", "light blue", "dark blue"],
    "purple": ["violet"],
    "pink": [],
    "brown": ["tan"],
    "white": [],
    "black": [],
    "gray": ["grey", "silver"],
}))

SIZE = _category("size", "SIZE", _flat({
    "small": ["little", "tiny"],
    "large": ["big", "huge", "giant", "enormous", "massive", "tall"],
}))

COUNT = _category("count", "COUNT", _flat({
    "one": ["1", "a single", "one single"],
    "two": ["2", "a pair of", "a couple of"],
    "three": ["3"],
    "many": ["a herd of", "a group of", "a flock of", "a fleet of", "a bunch of", "a crowd of",
             "a row of", "many", "several", "lots of", "a lot of", "some", "a few", "a number of",
             "a line of", "a pack of", "a family of", "numerous", "multiple"],
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
    # The world stands things side by side: in front of and behind are drawn as next to.
    "next to": ["beside", "besides", "near", "by", "alongside", "close to", "nearby", "in front of",
                "behind", "outside", "outside of", "past", "near to"],
}))

PLACE = _category("place", "PLACE", {
    "parking lot": (["car park", "parking area", "parking space", "parking lot area", "parking garage"],
                    ["parking lots", "car parks", "parking spaces"]),
    "road": (["street", "highway", "side of the road", "side of a road", "side of the street", "side of a street",
              "roadside", "road side", "edge of the road", "city street", "freeway", "intersection", "lane",
              "avenue", "dirt road", "country road"],
             ["roads", "streets", "highways", "city streets", "freeways"]),
    "beach": (["seaside", "shore", "sand", "sandy beach", "shoreline", "coast", "beach front", "beachfront"],
              ["beaches", "shores"]),
    "grass field": (["grassy field", "field", "meadow", "grass", "lawn", "park", "grassy area", "grass area",
                     "grassland", "pasture", "savanna", "savannah", "open field", "grassy plain", "plain",
                     "field of grass", "grassy hill", "hill", "hillside", "farm", "yard", "grassy yard"],
                    ["grass fields", "grassy fields", "fields", "meadows", "grasslands", "pastures", "plains",
                     "hills"]),
    "snowy field": (["snow field", "snowfield", "snow", "snowy meadow", "snow covered field",
                     "snow-covered field", "snowy hill", "snowy slope", "snowy area", "snowy ground",
                     "snow covered ground"],
                    ["snowy fields", "snow fields", "snowy hills"]),
    "blue sky": (["sky", "air", "clear sky", "clear blue sky", "cloudy sky", "open sky", "blue skys"],
                 ["blue skies", "skies", "clear skies", "cloudy skies"]),
    "lake": (["pond", "water", "river", "ocean", "sea", "bay", "harbor", "harbour", "lagoon", "body of water",
              "marina", "waters"],
             ["lakes", "ponds", "rivers", "oceans", "seas"]),
})

# How canonical text says each place: 'a boat on the beach', 'a bus in the parking lot'.
PLACE_PREPOSITIONS = {"parking lot": "in", "road": "on", "beach": "on", "grass field": "in", "snowy field": "in",
                      "blue sky": "in", "lake": "on"}

TIME = _category("time", "TIME", _flat({
    "day": ["at day", "by day", "during the day", "in the day", "daytime", "in the daytime", "at daytime",
            "during daytime", "in daylight", "in the morning", "at noon", "on a sunny day", "in the afternoon",
            "on a clear day", "on a bright day", "in broad daylight", "daylight", "sunny day"],
    "night": ["at night", "by night", "during the night", "in the night", "nighttime", "at nighttime",
              "at night time", "in the dark", "at midnight", "in the evening", "night time", "nightfall",
              "at dusk", "after dark"],
}))

# Words that carry no meaning beyond what they say: allowed, ignored.
ARTICLES = ("a", "an", "the")
VERBS = (
    "is", "are", "parked", "flying", "fly", "flies", "floating", "floats", "float", "sitting", "sits", "sit",
    "standing", "stands", "stand", "driving", "drives", "drive", "sailing", "sails", "sail", "shining",
    "shines", "drifting", "drifts", "growing", "grows", "waiting", "waits", "hovering", "hovers", "resting",
    "rests", "grazing", "graze", "walking", "walk", "walks", "stopped", "placed", "located", "seen", "that",
    "which", "there", "high", "up", "somewhere",
    # more verbs as photo captions use them
    "parked up", "going", "goes", "traveling", "travelling", "travels", "moving", "moves", "riding", "rides",
    "cruising", "cruises", "heading", "heads", "coming", "comes", "taking off", "landing", "lands", "soaring",
    "soars", "gliding", "glides", "docked", "anchored", "moored", "lined up", "sitting parked", "shown",
    "pictured", "wandering", "roaming", "roams", "strolling", "crossing", "crosses", "passing", "passes",
    "being", "was", "were", "has been", "have been", "appears", "stays", "lies", "lying", "laying", "stuck",
    "sunk", "shining brightly", "shining bright",
    # framing words and intensifiers: "a picture of", "there is", "a very large …"
    "a picture of", "a photo of", "a photograph of", "an image of", "a view of", "a close up of",
    "a closeup of", "this is", "there is", "there are", "here is", "it is", "next to each other",
    "side by side", "together", "alone", "by itself", "very", "really", "quite", "extremely", "pretty",
    "rather", "fairly", "so",
)
PREPOSITIONS = ("in", "on", "at", "over", "across", "along", "through", "inside", "onto", "upon", "into",
                "within", "around", "down", "toward", "towards", "among", "amongst", "amid", "throughout",
                "out on", "out in", "up in", "on top of the")
# Words that join two object groups without saying how they stand ("a house with a tree").
CONJUNCTIONS = ("and", "with", "along with", "together with", "as well as", "plus", "while")

# Categories in the conditioning vector, per item slot and per scene.
ITEM_CATEGORIES = (OBJECT, COLOR, SIZE, COUNT, POSITION, RELATION)
SCENE_CATEGORIES = (PLACE, TIME)
WORD_CATEGORIES = (*ITEM_CATEGORIES, *SCENE_CATEGORIES)
BLENDABLE = (OBJECT, COLOR, SIZE, PLACE, TIME)  # attributes a (a:0.6, b:0.4) blend may mix
MAX_ITEMS = 3  # object slots in a scene

# Relations that are written the other way round in canonical form: "A right of B" is "B left of A".
MIRRORED_RELATIONS = {"right of": "left of", "below": "above"}

# Objects that live in the sky when a scene puts them on the ground (sun over a road, etc.).
SKY_OBJECTS = frozenset({"airplane", "balloon", "sun", "cloud"})


def category(name: str) -> Category:
    for cat in WORD_CATEGORIES:
        if cat.name == name:
            return cat
    raise KeyError(name)


def all_phrases() -> list[str]:
    """Every phrase the language knows, for did-you-mean suggestions."""
    words = {p for cat in WORD_CATEGORIES for p in cat.phrases}
    return sorted(words | set(ARTICLES) | set(VERBS) | set(PREPOSITIONS) | set(CONJUNCTIONS))


def kind_of_phrase(text: str) -> str | None:
    """The kind of word a phrase names ('on the beach' -> 'place'), or None if it is not one word of one kind."""
    words = normalize_phrase(text).split()
    while words and (words[0] in ARTICLES or words[0] in PREPOSITIONS):
        words = words[1:]
    phrase = " ".join(words)
    kinds = [cat.name for cat in WORD_CATEGORIES if phrase in cat.phrases]
    return kinds[0] if len(kinds) == 1 else None
