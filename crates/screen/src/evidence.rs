//! What besides the name supports or contradicts a match: dates of birth,
//! countries, the kind of thing, identifiers.

use dossier_core::{Date, DatePrecision};

use crate::country::Country;
use crate::entry::{normalize_id, BirthDate, CountryRole, EntityType, ListEntry};
use crate::explain::{Agreement, Explanation};
use crate::model::Adjustment;

/// One query date against one list date, at the finer precision both have.
fn date_agreement(q: &Date, l: &BirthDate) -> Agreement {
    let (lo, hi) = l.years();
    match l {
        BirthDate::Exact(d) => {
            if d.year != q.year {
                return Agreement::Contradicts;
            }
            let both = d.precision().min(q.precision());
            match both {
                DatePrecision::Year => Agreement::Agrees,
                DatePrecision::Month => {
                    if d.month == q.month {
                        Agreement::Agrees
                    } else {
                        Agreement::Contradicts
                    }
                }
                DatePrecision::Day => {
                    if d == q {
                        Agreement::AgreesExactly
                    } else {
                        Agreement::Contradicts
                    }
                }
            }
        }
        _ if (lo..=hi).contains(&q.year) => Agreement::Agrees,
        _ => Agreement::Contradicts,
    }
}

fn rank(a: Agreement) -> u8 {
    match a {
        Agreement::AgreesExactly => 2,
        Agreement::Agrees => 1,
        Agreement::Contradicts => 0,
    }
}

/// The best agreement of any query date with any list date; `None` when
/// either side has no date.
pub fn birth_dates(query: &[Date], entry: &ListEntry) -> Option<(Adjustment, Explanation)> {
    let mut best: Option<(Agreement, Date)> = None;
    for q in query {
        for l in &entry.birth_dates {
            let a = date_agreement(q, l);
            if best.is_none_or(|(b, _)| rank(a) > rank(b)) {
                best = Some((a, *q));
            }
        }
    }
    let (agreement, q) = best?;
    let adj = match agreement {
        Agreement::AgreesExactly => Adjustment::BirthDateExact,
        Agreement::Agrees => Adjustment::BirthDateCompatible,
        Agreement::Contradicts => Adjustment::BirthDateContradicts,
    };
    Some((
        adj,
        Explanation::BirthDate {
            agreement,
            query: q,
            list: entry.birth_dates.clone(),
        },
    ))
}

/// A query country agrees with any country of the entry; it contradicts
/// when the entry names nationality, citizenship, birthplace or
/// jurisdiction and none is the query's (an address abroad contradicts
/// nothing).
pub fn countries(query: &[Country], entry: &ListEntry) -> Option<(Adjustment, Explanation)> {
    let q = query.first()?;
    if entry.countries.is_empty() {
        return None;
    }
    let list: Vec<(Country, CountryRole)> = entry
        .countries
        .iter()
        .map(|c| (c.country.clone(), c.role))
        .collect();
    let agree = query
        .iter()
        .find(|q| entry.countries.iter().any(|c| c.country.same(q)));
    if let Some(q) = agree {
        return Some((
            Adjustment::CountryAgrees,
            Explanation::Country {
                agreement: Agreement::Agrees,
                query: q.clone(),
                list,
            },
        ));
    }
    let identifying = entry
        .countries
        .iter()
        .any(|c| c.role != CountryRole::Address);
    identifying.then(|| {
        (
            Adjustment::CountryContradicts,
            Explanation::Country {
                agreement: Agreement::Contradicts,
                query: q.clone(),
                list,
            },
        )
    })
}

/// A person is not an organisation, vessel or aircraft; unknown on either
/// side says nothing.
pub fn entity_type(query: EntityType, entry: &ListEntry) -> Option<(Adjustment, Explanation)> {
    let l = entry.entity_type;
    let differ = query != EntityType::Unknown && l != EntityType::Unknown && query != l;
    differ.then_some((
        Adjustment::TypeContradicts,
        Explanation::EntityType { query, list: l },
    ))
}

/// An identifier of the query equal to one of the entry's is strong
/// support; a query identifier absent from an entry that lists some is
/// weak contradiction (people hold several documents).
pub fn identifiers(query: &[String], entry: &ListEntry) -> Option<(Adjustment, Explanation)> {
    if query.is_empty() || entry.identifiers.is_empty() {
        return None;
    }
    for q in query {
        let n = normalize_id(q);
        if n.is_empty() {
            continue;
        }
        if let Some(id) = entry.identifiers.iter().find(|i| i.normalized() == n) {
            return Some((
                Adjustment::IdentifierAgrees,
                Explanation::Identifier {
                    agreement: Agreement::AgreesExactly,
                    query: q.clone(),
                    list: vec![format!("{} {}", id.label, id.number)],
                },
            ));
        }
    }
    Some((
        Adjustment::IdentifierContradicts,
        Explanation::Identifier {
            agreement: Agreement::Contradicts,
            query: query[0].clone(),
            list: entry
                .identifiers
                .iter()
                .map(|i| format!("{} {}", i.label, i.number))
                .collect(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{CountryLink, IdKind, Identifier, ListKind};

    fn entry(dates: Vec<BirthDate>) -> ListEntry {
        ListEntry {
            list: ListKind::Ofac,
            list_id: "1".into(),
            entity_type: EntityType::Person,
            names: vec![],
            birth_dates: dates,
            countries: vec![CountryLink {
                country: Country::resolve("Egypt"),
                role: CountryRole::Citizenship,
            }],
            programs: vec![],
            identifiers: vec![Identifier {
                kind: IdKind::Passport,
                label: "Passport".into(),
                number: "A-123 45".into(),
                country: None,
            }],
            listed_on: None,
        }
    }

    #[test]
    fn dates_agree_at_the_shared_precision() {
        let day = Date::ymd(1963, 6, 6).unwrap();
        let e = entry(vec![BirthDate::Exact(Date::year(1963))]);
        let (a, x) = birth_dates(&[Date::year(1971)], &e).unwrap();
        assert_eq!(a, Adjustment::BirthDateContradicts);
        assert_eq!(
            x.to_string(),
            "contradicting dates of birth: born 1963 on the list, 1971 in the query"
        );
        assert_eq!(
            birth_dates(&[day], &e).unwrap().0,
            Adjustment::BirthDateCompatible
        );
        let e = entry(vec![BirthDate::Exact(day)]);
        assert_eq!(
            birth_dates(&[day], &e).unwrap().0,
            Adjustment::BirthDateExact
        );
        let other_day = Date::ymd(1963, 6, 7).unwrap();
        assert_eq!(
            birth_dates(&[other_day], &e).unwrap().0,
            Adjustment::BirthDateContradicts
        );
        let e = entry(vec![
            BirthDate::Circa(1963),
            BirthDate::Between {
                from: 1970,
                to: 1972,
            },
        ]);
        assert_eq!(
            birth_dates(&[Date::year(1964)], &e).unwrap().0,
            Adjustment::BirthDateCompatible
        );
        assert_eq!(
            birth_dates(&[Date::year(1971)], &e).unwrap().0,
            Adjustment::BirthDateCompatible
        );
        assert!(birth_dates(&[], &e).is_none());
        assert!(birth_dates(&[day], &entry(vec![])).is_none());
    }

    #[test]
    fn countries_types_and_identifiers() {
        let e = entry(vec![]);
        let eg = [Country::resolve("Egyptian")];
        assert_eq!(countries(&eg, &e).unwrap().0, Adjustment::CountryAgrees);
        let iq = [Country::resolve("Iraq")];
        assert_eq!(
            countries(&iq, &e).unwrap().0,
            Adjustment::CountryContradicts
        );
        assert!(countries(&[], &e).is_none());
        assert!(entity_type(EntityType::Person, &e).is_none());
        assert!(entity_type(EntityType::Unknown, &e).is_none());
        assert_eq!(
            entity_type(EntityType::Organization, &e).unwrap().0,
            Adjustment::TypeContradicts
        );
        assert_eq!(
            identifiers(&["a12345".into()], &e).unwrap().0,
            Adjustment::IdentifierAgrees
        );
        assert_eq!(
            identifiers(&["Z9".into()], &e).unwrap().0,
            Adjustment::IdentifierContradicts
        );
    }
}
