//! Reading thinc's serialized models (`Model.to_bytes`): a msgpack map with
//! the lists `nodes`, `attrs`, `params` and `shims`, aligned by the order of
//! `Model.walk()`. Each node has a name and dims; attrs are values packed as
//! msgpack bytes; params are numpy arrays in srsly's msgpack-numpy form
//! (`{nd: true, type: "<f4", kind: "", shape: [...], data: bytes}`).

use std::path::{Path, PathBuf};

use rmpv::Value;

use super::Error;

/// A float32 array with its numpy shape (C order).
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// One layer of a thinc model.
#[derive(Debug, Clone)]
pub struct Node {
    pub index: usize,
    pub name: String,
    pub dims: Vec<(String, Option<i64>)>,
    pub refs: Vec<(String, Option<usize>)>,
    /// Attribute values, unpacked from their msgpack bytes.
    pub attrs: Vec<(String, Value)>,
    pub params: Vec<(String, Array)>,
}

impl Node {
    pub fn dim(&self, name: &str) -> Option<i64> {
        self.dims
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| *v)
    }

    pub fn attr(&self, name: &str) -> Option<&Value> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn param(&self, name: &str) -> Option<&Array> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn reference(&self, name: &str) -> Option<usize> {
        self.refs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| *v)
    }
}

/// A deserialized thinc model: its nodes in walk order.
#[derive(Debug, Clone)]
pub struct ThincModel {
    pub path: PathBuf,
    pub nodes: Vec<Node>,
}

impl ThincModel {
    /// Reads a model file written by thinc's `Model.to_disk`.
    pub fn load(path: &Path) -> Result<ThincModel, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }

    /// Parses the bytes of a model file; `path` only names it in errors.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<ThincModel, Error> {
        let err = |what: String| Error::Format {
            path: path.to_path_buf(),
            what,
        };
        let root = rmpv::decode::read_value(&mut &bytes[..])
            .map_err(|e| err(format!("not valid msgpack: {e}")))?;
        let list = |key: &str| -> Result<&Vec<Value>, Error> {
            match map_get(&root, key) {
                Some(Value::Array(items)) => Ok(items),
                _ => Err(err(format!("no '{key}' list: not a thinc model file"))),
            }
        };
        let nodes = list("nodes")?;
        let attrs = list("attrs")?;
        let params = list("params")?;
        if attrs.len() != nodes.len() || params.len() != nodes.len() {
            return Err(err(format!(
                "{} nodes but {} attrs and {} params",
                nodes.len(),
                attrs.len(),
                params.len()
            )));
        }
        let mut out = Vec::with_capacity(nodes.len());
        for (i, ((node, attr), param)) in nodes.iter().zip(attrs).zip(params).enumerate() {
            out.push(
                parse_node(i, node, attr, param)
                    .map_err(|what| err(format!("node {i}: {what}")))?,
            );
        }
        Ok(ThincModel {
            path: path.to_path_buf(),
            nodes: out,
        })
    }

    /// The nodes with this exact name, in walk order.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| n.name == name)
    }

    pub fn format_error(&self, what: impl Into<String>) -> Error {
        Error::Format {
            path: self.path.clone(),
            what: what.into(),
        }
    }
}

fn parse_node(index: usize, node: &Value, attrs: &Value, params: &Value) -> Result<Node, String> {
    let name = match map_get(node, "name") {
        Some(Value::String(s)) => s.as_str().unwrap_or_default().to_string(),
        _ => return Err("no name".into()),
    };
    let mut dims = Vec::new();
    if let Some(Value::Map(entries)) = map_get(node, "dims") {
        for (k, v) in entries {
            let value = match v {
                Value::Nil => None,
                Value::Integer(i) => i.as_i64(),
                other => return Err(format!("dim {k} is not an integer: {other}")),
            };
            dims.push((key_str(k)?, value));
        }
    }
    let mut refs = Vec::new();
    if let Some(Value::Map(entries)) = map_get(node, "refs") {
        for (k, v) in entries {
            let value = match v {
                Value::Nil => None,
                Value::Integer(i) => i.as_u64().map(|i| i as usize),
                other => return Err(format!("ref {k} is not an index: {other}")),
            };
            refs.push((key_str(k)?, value));
        }
    }
    let mut node_attrs = Vec::new();
    if let Value::Map(entries) = attrs {
        for (k, v) in entries {
            let name = key_str(k)?;
            // thinc packs each attribute value as msgpack bytes.
            let value = match v {
                Value::Binary(b) => rmpv::decode::read_value(&mut &b[..])
                    .map_err(|e| format!("attr {name}: {e}"))?,
                other => other.clone(),
            };
            node_attrs.push((name, value));
        }
    }
    let mut node_params = Vec::new();
    if let Value::Map(entries) = params {
        for (k, v) in entries {
            let name = key_str(k)?;
            if matches!(v, Value::Nil) {
                continue;
            }
            let array = parse_array(v).map_err(|e| format!("param {name}: {e}"))?;
            node_params.push((name, array));
        }
    }
    Ok(Node {
        index,
        name,
        dims,
        refs,
        attrs: node_attrs,
        params: node_params,
    })
}

/// Decodes srsly's msgpack-numpy encoding of a float32 array.
fn parse_array(v: &Value) -> Result<Array, String> {
    match map_get(v, "nd") {
        Some(Value::Boolean(true)) => {}
        _ => return Err("not a numpy array".into()),
    }
    let dtype = match map_get(v, "type") {
        Some(Value::String(s)) => s.as_str().unwrap_or_default().to_string(),
        Some(Value::Binary(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => return Err("array without dtype".into()),
    };
    if dtype != "<f4" {
        return Err(format!(
            "dtype {dtype}, expected little-endian float32 (<f4)"
        ));
    }
    let shape = match map_get(v, "shape") {
        Some(Value::Array(dims)) => dims
            .iter()
            .map(|d| d.as_u64().map(|d| d as usize).ok_or("bad shape"))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err("array without shape".into()),
    };
    let data = match map_get(v, "data") {
        Some(Value::Binary(b)) => b,
        _ => return Err("array without data".into()),
    };
    let n: usize = shape.iter().product();
    if data.len() != n * 4 {
        return Err(format!(
            "shape {shape:?} needs {} bytes, found {}",
            n * 4,
            data.len()
        ));
    }
    let data = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok(Array { shape, data })
}

fn key_str(k: &Value) -> Result<String, String> {
    match k {
        Value::String(s) => Ok(s.as_str().unwrap_or_default().to_string()),
        Value::Binary(b) => Ok(String::from_utf8_lossy(b).into_owned()),
        other => Err(format!("unexpected key {other}")),
    }
}

/// A map entry whose key is `key` as a msgpack string or bytes.
pub(crate) fn map_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let Value::Map(entries) = v else { return None };
    entries.iter().find_map(|(k, v)| {
        let matches = match k {
            Value::String(s) => s.as_str() == Some(key),
            Value::Binary(b) => b.as_slice() == key.as_bytes(),
            _ => false,
        };
        matches.then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(s: &str) -> Value {
        Value::Binary(s.as_bytes().to_vec())
    }

    fn packed(v: &Value) -> Value {
        let mut buf = Vec::new();
        rmpv::encode::write_value(&mut buf, v).unwrap();
        Value::Binary(buf)
    }

    fn np_array(shape: &[usize], data: &[f32]) -> Value {
        let bytes: Vec<u8> = data.iter().flat_map(|x| x.to_le_bytes()).collect();
        Value::Map(vec![
            (bin("nd"), Value::Boolean(true)),
            (bin("type"), Value::from("<f4")),
            (bin("kind"), bin("")),
            (
                bin("shape"),
                Value::Array(shape.iter().map(|&d| Value::from(d as u64)).collect()),
            ),
            (bin("data"), Value::Binary(bytes)),
        ])
    }

    fn model_bytes(params: Value) -> Vec<u8> {
        let node = Value::Map(vec![
            (Value::from("index"), Value::from(0)),
            (Value::from("name"), Value::from("linear")),
            (
                Value::from("dims"),
                Value::Map(vec![
                    (Value::from("nO"), Value::from(2)),
                    (Value::from("nI"), Value::Nil),
                ]),
            ),
            (Value::from("refs"), Value::Map(vec![])),
        ]);
        let attrs = Value::Map(vec![(Value::from("seed"), packed(&Value::from(8)))]);
        let root = Value::Map(vec![
            (Value::from("nodes"), Value::Array(vec![node])),
            (Value::from("attrs"), Value::Array(vec![attrs])),
            (Value::from("params"), Value::Array(vec![params])),
            (
                Value::from("shims"),
                Value::Array(vec![Value::Array(vec![])]),
            ),
        ]);
        let mut buf = Vec::new();
        rmpv::encode::write_value(&mut buf, &root).unwrap();
        buf
    }

    #[test]
    fn reads_nodes_attrs_and_arrays() {
        let params = Value::Map(vec![(
            Value::from("W"),
            np_array(&[2, 3], &[1.0, 2.0, 3.0, -4.0, 0.5, 6.0]),
        )]);
        let m = ThincModel::from_bytes(Path::new("x"), &model_bytes(params)).unwrap();
        let n = &m.nodes[0];
        assert_eq!(n.name, "linear");
        assert_eq!(n.dim("nO"), Some(2));
        assert_eq!(n.dim("nI"), None);
        assert_eq!(n.attr("seed").and_then(|v| v.as_u64()), Some(8));
        let w = n.param("W").unwrap();
        assert_eq!(w.shape, vec![2, 3]);
        assert_eq!(w.data, vec![1.0, 2.0, 3.0, -4.0, 0.5, 6.0]);
    }

    #[test]
    fn rejects_wrong_dtype_and_size() {
        let mut arr = np_array(&[2], &[1.0, 2.0]);
        if let Value::Map(entries) = &mut arr {
            entries[1].1 = Value::from("<f8");
        }
        let params = Value::Map(vec![(Value::from("W"), arr)]);
        let e = ThincModel::from_bytes(Path::new("m"), &model_bytes(params)).unwrap_err();
        assert!(e.to_string().contains("float32"), "{e}");
        let params = Value::Map(vec![(Value::from("W"), np_array(&[3], &[1.0, 2.0]))]);
        let e = ThincModel::from_bytes(Path::new("m"), &model_bytes(params)).unwrap_err();
        assert!(e.to_string().contains("needs 12 bytes"), "{e}");
    }

    #[test]
    fn rejects_garbage() {
        let e = ThincModel::from_bytes(Path::new("junk.bin"), b"\xc1\xc1").unwrap_err();
        assert!(e.to_string().contains("junk.bin"), "{e}");
        let mut buf = Vec::new();
        rmpv::encode::write_value(&mut buf, &Value::from(3)).unwrap();
        let e = ThincModel::from_bytes(Path::new("m"), &buf).unwrap_err();
        assert!(e.to_string().contains("not a thinc model"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = ThincModel::from_bytes(Path::new("fuzz"), &bytes);
        }

        #[test]
        fn corrupted_models_are_errors_not_panics(pos in 0usize..200, byte in proptest::prelude::any::<u8>(), cut in 0usize..200) {
            let params = Value::Map(vec![(Value::from("W"), np_array(&[2, 2], &[1.0, 2.0, 3.0, 4.0]))]);
            let mut bytes = model_bytes(params);
            let n = bytes.len();
            bytes[pos % n] = byte;
            bytes.truncate(n - cut.min(n));
            let _ = ThincModel::from_bytes(Path::new("fuzz"), &bytes);
        }
    }
}
