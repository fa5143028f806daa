//! Interned names: each distinct product, region, channel … string is stored once and
//! referred to by a small integer id in the aggregates.

use super::hashing::FastMap;

/// A set of names with stable ids in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Names {
    ids: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// The id returned last: rows of one order or day repeat their names.
    last: Option<u32>,
}

impl Names {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last {
            if *self.names[last as usize] == *name {
                return last;
            }
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id =
                    u32::try_from(self.names.len()).expect("fewer than 4 billion distinct names");
                self.names.push(name.into());
                self.ids.insert(name.into(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }

    pub fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every name, in Unicode code-point order.
    pub fn sorted(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names.iter().map(|n| &**n).collect();
        names.sort_unstable();
        names
    }
}
