//! Turns the rule pack's TOML topic files and the unit CSVs into one compact JSON document
//! (embedded by `src/lib.rs`), and computes `PACK_ID` = newest effective date + content hash.
//!
//! Parsing is strict (`deny_unknown_fields`), so a typo in the data fails the build with the
//! file name and the TOML error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::{env, fs};

use kc_rules::Confidence;
use kc_rules::pack::{
    Commune, CommuneKind, FormerProvince, Layer, Paper, Param, Province, ProvinceKind, RulePack, Sector,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// One topic file: any of these tables may appear.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Topic {
    #[serde(default)]
    param: Vec<Param>,
    #[serde(default)]
    layer: Vec<Layer>,
    #[serde(default)]
    sector: Vec<Sector>,
    #[serde(default)]
    paper: Vec<Paper>,
    #[serde(default)]
    merger: Vec<Merger>,
}

/// Composition of a merged province (domain file §5).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Merger {
    province_code: u16,
    formed_from: Vec<FormerProvince>,
    confidence: Confidence,
}

fn main() {
    let data = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("data");
    println!("cargo::rerun-if-changed={}", data.display());

    let mut topics: Vec<PathBuf> = fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    topics.sort();

    let mut params = BTreeMap::new();
    let (mut layers, mut sectors, mut papers, mut mergers) = (vec![], vec![], vec![], vec![]);
    for path in &topics {
        let text = fs::read_to_string(path).unwrap();
        let topic: Topic = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for p in topic.param {
            let id = p.id;
            if params.insert(id, p).is_some() {
                panic!("{}: parameter {id} defined twice", path.display());
            }
        }
        layers.extend(topic.layer);
        sectors.extend(topic.sector);
        papers.extend(topic.paper);
        mergers.extend(topic.merger);
    }

    let mut provinces: Vec<Province> = csv_rows(&data.join("provinces-2025.csv"))
        .map(|r| {
            let code: u16 = r[0].parse().unwrap();
            let merger = mergers.iter().find(|m: &&Merger| m.province_code == code);
            Province {
                code,
                name: r[1].clone(),
                kind: match r[2].as_str() {
                    "tinh" => ProvinceKind::Tinh,
                    "thanh_pho_truc_thuoc_trung_uong" => ProvinceKind::ThanhPhoTrucThuocTrungUong,
                    other => panic!("provinces-2025.csv: unknown province type {other}"),
                },
                codename: r[3].clone(),
                formed_from: merger.map(|m| m.formed_from.clone()).unwrap_or_default(),
                merger_confidence: merger.map_or(Confidence::S, |m| m.confidence),
            }
        })
        .collect();
    provinces.sort_by_key(|p| p.code);

    let former = former_provinces(&data.join("communes-former-province-2025.csv"));
    let mut communes: Vec<Commune> = csv_rows(&data.join("communes-2025.csv"))
        .map(|r| Commune {
            code: r[0].parse().unwrap(),
            name: r[1].clone(),
            kind: match r[2].as_str() {
                "xa" => CommuneKind::Xa,
                "phuong" => CommuneKind::Phuong,
                "dac_khu" => CommuneKind::DacKhu,
                other => panic!("communes-2025.csv: unknown commune type {other}"),
            },
            province_code: r[3].parse().unwrap(),
            former_province: Some(
                former.get(&r[0]).unwrap_or_else(|| panic!("commune {} has no former province", r[0])).clone(),
            ),
        })
        .collect();
    assert_eq!(former.len(), communes.len(), "communes-former-province-2025.csv: one row per commune");
    communes.sort_by_key(|c| c.code);

    let mut pack = RulePack::new(String::new(), params, layers, provinces, communes, sectors, papers);
    let canonical = serde_json::to_string(&pack).unwrap();
    let hash = Sha256::digest(canonical.as_bytes());
    let hex: String = hash[..6].iter().map(|b| format!("{b:02x}")).collect();
    let newest = pack.newest_date().map_or_else(|| "0000-00-00".to_owned(), |d| d.to_string());
    pack.id = format!("{newest}.{hex}");

    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out.join("pack.json"), serde_json::to_string(&pack).unwrap()).unwrap();
    fs::write(out.join("pack_id.rs"), format!("{:?}", pack.id)).unwrap();

    // The same pack in postcard (compact, not self-describing) for `bundled()`: decoding it
    // needs far less code than JSON, which matters in the widget's WebAssembly bundle.
    fs::write(out.join("pack.bin"), postcard::to_allocvec(&pack).unwrap()).unwrap();
    // The widget's copy drops the reviewer-only notes and the parameters' labels (never shown
    // by the widget, not used by the engine). `PACK_ID` above still hashes the full content.
    let mut lite = pack;
    lighten(&mut lite);
    fs::write(out.join("pack-lite.bin"), postcard::to_allocvec(&lite).unwrap()).unwrap();
}

/// What the widget's copy of the pack leaves out; `src/lib.rs` tests that it is only this.
fn lighten(pack: &mut RulePack) {
    let params = pack.params.values_mut().chain(pack.layers.iter_mut().flat_map(|l| &mut l.params));
    for p in params {
        p.label_vi = String::new();
        p.label_en = String::new();
        for v in &mut p.values {
            v.note = None;
        }
    }
}

/// Commune code → former province codename, from the first two fields of each row (the
/// `basis` column after them is quoted prose, not read here).
fn former_provinces(path: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.splitn(3, ',');
            let (code, former) = (f.next().unwrap_or_default(), f.next().unwrap_or_default());
            assert!(!former.is_empty() && !former.contains('"'), "{}: bad row {l}", path.display());
            (code.trim().to_owned(), former.trim().to_owned())
        })
        .collect()
}

/// The rows of a simple CSV file (header skipped; fields hold no commas or quotes).
fn csv_rows(path: &Path) -> impl Iterator<Item = Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            assert!(!l.contains('"'), "{}: quoted fields are not expected", path.display());
            l.split(',').map(|f| f.trim().to_owned()).collect()
        })
        .collect();
    rows.into_iter()
}
