//! Checks on the real lists in `../shared/data` (never committed): they
//! run where that folder exists and print why they are skipped elsewhere.

use std::path::PathBuf;

use dossier_screen::entry::{ListKind, Strength};
use dossier_screen::explain::Explanation;
use dossier_screen::{load, load_all, ListSpec, Query, Screener};

/// `$DOSSIER_SHARED_DATA`, else the first `shared/data` beside the crate
/// or one of its ancestors (`../shared/data` of the repository).
fn data() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = std::env::var_os("DOSSIER_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .chain(here.ancestors().map(|a| a.join("shared/data")))
        .find(|d| d.join("ofac_sdn").is_dir() && d.join("un_consolidated_list").is_dir());
    if found.is_none() {
        eprintln!(
            "skipped: no shared/data with the sanctions lists above {}",
            here.display()
        );
    }
    found
}

fn spec(kind: &str, p: PathBuf) -> ListSpec {
    format!("{kind}:{}", p.display()).parse().unwrap()
}

fn screener(d: &std::path::Path) -> Screener {
    let lists = load_all(&[
        spec("ofac", d.join("ofac_sdn/2022-01_ListLookup")),
        spec(
            "un",
            d.join("un_consolidated_list/consolidated_2020-11-30.xml"),
        ),
    ])
    .unwrap();
    Screener::new(lists).unwrap()
}

/// The seed articles' man: Abu Muhammad al-Masri = Abdullah Ahmed Abdullah.
#[test]
fn seeds_abu_muhammad_al_masri_is_ofac_6915_and_un_qdi_019() {
    let Some(d) = data() else { return };
    let s = screener(&d);
    for name in ["Abdullah Ahmed Abdullah", "Abu Muhammad al-Masri"] {
        let m = s.screen(&Query::name(name), 10);
        for (list, id) in [(ListKind::Ofac, "6915"), (ListKind::Un, "QDi.019")] {
            assert!(
                m.iter()
                    .any(|x| x.list == list && x.list_id == id && x.is_match),
                "{name}: no match {list} {id} in {:?}",
                m.iter().map(|x| (&x.list_id, x.score)).collect::<Vec<_>>()
            );
        }
    }
    // The alias that links the kunya to him is named in the explanation.
    let m = s.screen(&Query::name("Abu Muhammad al-Masri"), 10);
    for id in ["6915", "QDi.019"] {
        let hit = m.iter().find(|x| x.list_id == id).unwrap();
        let named = hit.explanation.iter().any(|e| match e {
            Explanation::MatchedName { list_name, .. } => {
                list_name.eq_ignore_ascii_case("AL-MASRI, Abu Mohamed")
            }
            _ => false,
        });
        assert!(named, "{id}: {:?}", hit.explanation);
    }
    // A knowledge-base entity with both names: both are filed.
    let mut q = Query::name("Abdullah Ahmed Abdullah");
    q.aliases.push("Abu Muhammad al-Masri".into());
    let m = s.screen(&q, 5);
    let hit = m.iter().find(|x| x.list_id == "6915").unwrap();
    let text: Vec<String> = hit.explanation.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|t| t.contains("AL-MASRI, Abu Mohamed")),
        "{text:#?}"
    );
}

#[test]
fn seeds_abu_muhsin_al_masri_is_not_confused_with_him() {
    let Some(d) = data() else { return };
    let s = screener(&d);
    for name in [
        "Abu Muhsin al-Masri",
        "Husam Abd-al-Ra'uf",
        "Husam Abd al-Rauf",
    ] {
        let m = s.screen_scored(&Query::name(name), 10, 0.0);
        for id in ["6915", "QDi.019"] {
            assert!(
                !m.iter().any(|x| x.list_id == id && x.is_match),
                "{name} matched {id}: {m:?}"
            );
        }
    }
}

#[test]
fn both_ofac_vintages_and_un_lists_read() {
    let Some(d) = data() else { return };
    let old = load(&spec("ofac", d.join("ofac_sdn/2022-01_ListLookup/sdn.csv"))).unwrap();
    assert!(old.entries.len() > 8000);
    assert_eq!(old.source.files.len(), 3);
    let e = old.entries.iter().find(|e| e.list_id == "6915").unwrap();
    assert!(e
        .names
        .iter()
        .any(|n| n.text == "AL-MASRI, Abu Mohamed" && n.strength == Strength::Strong));
    assert!(e
        .names
        .iter()
        .any(|n| n.text == "SALEH" && n.strength == Strength::Weak));
    let new = load(&spec("ofac", d.join("ofac_sdn/2024-05_jackdwyer"))).unwrap();
    assert!(new.entries.len() > 14000);
    assert_eq!(new.source.files.len(), 1, "no alt.csv in that vintage");
    assert_eq!(
        new.source.date.map(|d| d.to_string()).as_deref(),
        Some("2024-05")
    );
    for f in ["consolidated_2018-10-29.xml", "consolidated_2020-11-30.xml"] {
        let un = load(&spec("un", d.join("un_consolidated_list").join(f))).unwrap();
        assert!(un.entries.len() > 1000, "{f}");
        let q = un.entries.iter().find(|e| e.list_id == "QDi.019").unwrap();
        assert!(q
            .names
            .iter()
            .any(|n| n.text == "Al-Masri, Abu Mohamed" && n.strength == Strength::Weak));
    }
}
