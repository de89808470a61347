// JSONValue objects are OrderedDictionary values; every module that reads them needs its members.
@_exported import OrderedCollections
