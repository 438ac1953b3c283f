/** Les textes du catalogue d’analyses, clé pour clé ceux de catalog.en.ts (le compilateur le vérifie). */
import type { Resources } from './types';

export const catalogFr: Resources['catalog'] = {
  analyses: {
    'explore-counts': {
      title: 'Lignes et colonnes',
      description: 'Nombre de lignes et de colonnes du jeu de données.',
    },
    'explore-schema': {
      title: 'Schéma',
      description: 'Chaque colonne avec sa position et son type déduit.',
    },
    'explore-head': {
      title: 'Premières lignes',
      description: 'Les premières lignes dans l’ordre du fichier, comme show(5).',
    },
    'explore-describe': {
      title: 'Description statistique',
      description:
        'Par colonne : effectif, nuls, moyenne, écart-type, min, quartiles, max ; valeurs distinctes et la plus fréquente pour le texte.',
    },
    'clean-nulls': {
      title: 'Valeurs nulles par colonne',
      description: 'Nombre et part de valeurs vides dans chaque colonne.',
    },
    'clean-sentinels': {
      title: 'Valeurs sentinelles par colonne',
      description: 'Valeurs de remplissage (Not Entered, Unknown, None, …) et valeurs annotées finissant par * par colonne texte.',
    },
    'clean-null-drop': {
      title: 'Suppression des lignes nulles (original)',
      description: 'Lignes avant et après la suppression des lignes ayant un nul dans les sept colonnes d’origine.',
    },
    'clean-duplicates': {
      title: 'Lignes en double',
      description: 'Lignes identiques sur toutes les colonnes (effectif − effectif distinct).',
    },
    'clean-duplicate-vins': {
      title: 'VIN en double',
      description: 'Valeurs de VIN partiel présentes sur plusieurs lignes.',
    },
    'clean-out-of-range': {
      title: 'Valeurs hors limites',
      description: 'Années de véhicule avant 1900 ou après l’année de l’accident + 1, trop d’occupants ou de cylindres.',
    },
    'clean-make-merge': {
      title: 'Codes de marque regroupés',
      description: 'Quels codes de marque bruts le regroupement transforme en quelle marque, avec les effectifs.',
    },
    'desc-body-type': {
      title: 'Type de carrosserie',
      description: 'Véhicules par type de carrosserie.',
    },
    'desc-crash-year': {
      title: 'Année de l’accident',
      description: 'Véhicules par année d’accident, dans l’ordre des années.',
    },
    'desc-occupants': {
      title: 'Nombre d’occupants',
      description: 'Véhicules par nombre d’occupants.',
    },
    'desc-factor1': {
      title: 'Facteur contributif 1',
      description: 'Véhicules par catégorie du facteur 1 (HUMAN, ENVMT, VEHICLE), comme l’original.',
    },
    'desc-factor1-description': {
      title: 'Facteur contributif 1 et sa description',
      description: 'Véhicules par catégorie du facteur 1 et sa description (le facteur lui-même).',
    },
    'desc-factor-pair': {
      title: 'Facteur contributif 1 × facteur 2',
      description: 'Véhicules par paire de catégories de facteurs, comme l’original.',
    },
    'desc-factor-pair-descriptions': {
      title: 'Descriptions des facteurs 1 × 2',
      description: 'Véhicules par paire de descriptions de facteurs.',
    },
    'desc-state': {
      title: 'État d’immatriculation',
      description: 'Véhicules par État d’immatriculation.',
    },
    'desc-direction': {
      title: 'Direction de déplacement',
      description: 'Véhicules par direction de déplacement.',
    },
    'desc-vehicle-age': {
      title: 'Âge du véhicule lors de l’accident',
      description: 'Véhicules par âge, année de l’accident − année du véhicule.',
    },
    'desc-vehicle-age-2025': {
      title: 'Âge du véhicule (2025 − année, original)',
      description: 'L’âge du notebook d’origine : 2025 − année du véhicule.',
    },
    'desc-fuel': {
      title: 'Carburant',
      description: 'Véhicules par type de carburant.',
    },
    'desc-cylinders': {
      title: 'Cylindres du moteur',
      description: 'Véhicules par nombre de cylindres.',
    },
    'desc-action': {
      title: 'Action avant l’accident',
      description: 'Véhicules par action avant l’accident.',
    },
    'desc-event-type': {
      title: 'Type d’événement',
      description: 'Véhicules par type d’événement.',
    },
    'desc-make': {
      title: 'Marque du véhicule',
      description: 'Véhicules par code de marque (ou marque, avec le regroupement).',
    },
    'desc-registration-class': {
      title: 'Catégorie d’immatriculation',
      description: 'Véhicules par catégorie d’immatriculation.',
    },
    'trend-body-type': {
      title: 'Carrosserie par année',
      description: 'Principaux types de carrosserie par année d’accident.',
    },
    'trend-registration-class': {
      title: 'Catégorie d’immatriculation par année',
      description: 'Principales catégories d’immatriculation par année d’accident.',
    },
    'trend-action': {
      title: 'Action avant l’accident par année',
      description: 'Principales actions par année d’accident.',
    },
    'trend-direction': {
      title: 'Direction par année',
      description: 'Directions de déplacement par année d’accident.',
    },
    'trend-fuel': {
      title: 'Carburant par année',
      description: 'Types de carburant par année d’accident.',
    },
    'trend-state': {
      title: 'État d’immatriculation par année',
      description: 'Principaux États d’immatriculation par année d’accident.',
    },
    'trend-make': {
      title: 'Marque par année',
      description: 'Principales marques par année d’accident.',
    },
    'trend-factor1-description': {
      title: 'Facteur contributif par année',
      description: 'Principales descriptions du facteur 1 par année d’accident.',
    },
    'trend-event-type': {
      title: 'Type d’événement par année',
      description: 'Principaux types d’événement par année d’accident.',
    },
    'trend-vehicle-age': {
      title: 'Âge du véhicule par année',
      description: 'Distribution de l’âge du véhicule (année de l’accident − année du véhicule) par année.',
    },
    'corr-pearson': {
      title: 'Corrélation de Pearson',
      description: 'Corrélation linéaire entre les colonnes numériques des accidents.',
    },
    'corr-spearman': {
      title: 'Corrélation de Spearman',
      description: 'Corrélation des rangs entre les colonnes numériques des accidents.',
    },
    'corr-cramers-v': {
      title: 'V de Cramér entre catégories',
      description: 'Association entre les principales colonnes catégorielles.',
    },
    'generic-profile': {
      title: 'Profil des colonnes',
      description: 'Par colonne : type, nuls, distinctes, min, max, moyenne, écart-type, quantiles et valeurs fréquentes.',
    },
    'generic-histogram': {
      title: 'Histogramme',
      description: 'Classes de largeur égale d’une colonne numérique.',
    },
    'generic-value-counts': {
      title: 'Effectifs par valeur',
      description: 'Fréquence de chaque valeur d’une colonne.',
    },
    'generic-group-by': {
      title: 'Regroupement',
      description: 'Une ou deux dimensions, une mesure et effectif/somme/moyenne/min/max/médiane, avec un filtre facultatif.',
    },
    'generic-correlation': {
      title: 'Matrice de corrélation numérique',
      description: 'Corrélation de Pearson ou de Spearman entre colonnes numériques.',
    },
  },
  params: {
    topN: 'N premiers (0 = tous)',
    n: 'Lignes',
    minVehicleYear: 'Première année de véhicule',
    maxOccupants: 'Nombre maximal d’occupants',
    maxCylinders: 'Nombre maximal de cylindres',
    topValues: 'Valeurs fréquentes listées',
    column: 'Colonne',
    bins: 'Classes',
    dimensions: 'Dimensions (1 ou 2)',
    aggregate: 'Agrégat',
    measure: 'Mesure',
    filter: 'Filtre',
    method: 'Méthode',
    columns: 'Colonnes',
  },
  rules: {
    'vehicle-year-too-old': 'Année de véhicule trop ancienne',
    'vehicle-year-after-crash': 'Année de véhicule après l’année de l’accident + 1',
    'occupants-negative': 'Occupants négatifs',
    'occupants-too-many': 'Trop d’occupants',
    'cylinders-negative': 'Cylindres négatifs',
    'cylinders-too-many': 'Trop de cylindres',
  },
};
