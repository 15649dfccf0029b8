//! The stages' outputs as stored: MessagePack with field names, so a field
//! added later reads back as its default from an older record.

use serde::de::DeserializeOwned;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("encoding {what}: {source}")]
    Encode {
        what: &'static str,
        #[source]
        source: rmp_serde::encode::Error,
    },
    #[error(
        "reading the stored {what} of {owner}: {source} (run `dossier build` again to redo it)"
    )]
    Decode {
        what: &'static str,
        owner: String,
        #[source]
        source: rmp_serde::decode::Error,
    },
}

pub fn encode<T: Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, CodecError> {
    rmp_serde::to_vec_named(value).map_err(|source| CodecError::Encode { what, source })
}

pub fn decode<T: DeserializeOwned>(
    what: &'static str,
    owner: &str,
    bytes: &[u8],
) -> Result<T, CodecError> {
    rmp_serde::from_slice(bytes).map_err(|source| CodecError::Decode {
        what,
        owner: owner.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Old {
        a: u32,
    }

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct New {
        a: u32,
        #[serde(default)]
        b: Vec<String>,
    }

    #[test]
    fn round_trips_and_reads_older_records() {
        let bytes = encode("test", &Old { a: 7 }).unwrap();
        let new: New = decode("test", "doc", &bytes).unwrap();
        assert_eq!(new, New { a: 7, b: vec![] });
        let err = decode::<New>("test", "doc d1", b"\xc1garbage").unwrap_err();
        assert!(err.to_string().contains("doc d1"), "{err}");
    }
}
