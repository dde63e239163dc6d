# International English: ISO 8601 dates, which no reader in Vienna, New York or Moscow can
# misread (03/04 is March in one and April in another). One format in text and in inputs;
# inputs also take the day-first forms typed in Vienna.
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATE_INPUT_PLACEHOLDER = "YYYY-MM-DD"
FIRST_DAY_OF_WEEK = 1
