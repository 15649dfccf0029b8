//! spaCy attribute ruler.
