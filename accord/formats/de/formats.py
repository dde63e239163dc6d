# German: CLDR's dd.MM.y.
# One date format for the language, in text and in inputs; inputs take ISO 8601 too.
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATE_INPUT_PLACEHOLDER = "TT.MM.JJJJ"
FIRST_DAY_OF_WEEK = 1
