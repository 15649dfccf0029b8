//! spaCy English rule lemmatizer.
