//! Prints the native pipeline's parse of a text: a development aid.
fn main() {
    let nlp = dossier_analyze::pipeline::Pipeline::locate_and_load(None).expect("model");
    let text = std::env::args().nth(1).unwrap_or_default();
    let doc = nlp.analyze(&text);
    for (i, t) in doc.tokens.iter().enumerate() {
        println!("{i} {} {} {} {} {}", t.text, t.tag, t.pos, t.dep, t.head);
    }
    for e in &doc.ents {
        println!("ent {}..{} {}", e.start_token, e.end_token, e.label);
    }
}
