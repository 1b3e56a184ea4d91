# A slice of skyfield's skyfield/named_stars.py (MIT licence), for tests.

named_star_dict = {
    "Betelgeuse": 27989,
    "Rigel Kent": 71683,
    "Rigil Kentaurus": 71683,
    "Sirius": 32349,
    "Toliman": 71683,
    "Vega": 91262,
}
