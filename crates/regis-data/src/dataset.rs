//! A dataset: one measure with its panels (one per level or source) or its flow matrix.

use regis_core::{FlowMatrix, Level, Measure, Panel};

/// A panel covering some levels of the hierarchy, with its source.
#[derive(Debug, Clone)]
pub struct LevelPanel {
    /// Levels whose regions this panel holds.
    pub levels: Vec<Level>,
    /// Where the numbers come from.
    pub source: String,
    /// The values.
    pub panel: Panel,
}

/// A measure with its data.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The measure.
    pub measure: Measure,
    /// Regional panels (empty for flows).
    pub panels: Vec<LevelPanel>,
    /// Flows (for flow measures).
    pub flows: Option<FlowMatrix>,
}

impl Dataset {
    /// The panel holding regions at `level`, if any.
    pub fn panel_at(&self, level: Level) -> Option<&LevelPanel> {
        self.panels.iter().find(|p| p.levels.contains(&level))
    }

    /// All periods covered, ascending.
    pub fn periods(&self) -> Vec<regis_core::Period> {
        let mut v: Vec<_> = self
            .panels
            .iter()
            .flat_map(|p| p.panel.periods().iter().copied())
            .chain(self.flows.iter().flat_map(|f| f.periods().iter().copied()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}
