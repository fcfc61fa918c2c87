#include "synth/names.h"

#include <array>
#include <utility>

namespace liaison::synth {
namespace {

constexpr Weighted kFemale[] = {
    {"Olivia", 40},  {"Amelia", 38},   {"Isla", 30},     {"Ava", 30},      {"Ivy", 22},
    {"Freya", 22},   {"Lily", 22},     {"Florence", 20}, {"Mia", 20},      {"Willow", 18},
    {"Rosie", 16},   {"Sophia", 16},   {"Isabella", 16}, {"Grace", 16},    {"Daisy", 14},
    {"Sienna", 14},  {"Poppy", 14},    {"Elsie", 14},    {"Emily", 14},    {"Ella", 14},
    {"Evelyn", 12},  {"Phoebe", 12},   {"Sofia", 12},    {"Evie", 12},     {"Charlotte", 12},
    {"Harper", 10},  {"Millie", 10},   {"Matilda", 10},  {"Maya", 10},     {"Sophie", 10},
    {"Alice", 10},   {"Emma", 8},      {"Isabelle", 8},  {"Ruby", 8},      {"Jessica", 8},
    {"Chloe", 8},    {"Hannah", 8},    {"Lucy", 8},      {"Zara", 6},      {"Aisha", 6},
    {"Fatima", 6},   {"Maryam", 6},    {"Amira", 5},     {"Priya", 5},     {"Layla", 5},
    {"Nia", 4},      {"Seren", 4},     {"Megan", 4},     {"Bethan", 3},    {"Niamh", 4},
    {"Aoife", 3},    {"Zofia", 3},     {"Oliwia", 3},    {"Sarah", 12},    {"Laura", 10},
    {"Rebecca", 10}, {"Claire", 8},    {"Nicola", 8},    {"Emma-Jane", 2}, {"Michelle", 8},
    {"Karen", 8},    {"Susan", 8},     {"Joanne", 8},    {"Helen", 8},     {"Rachel", 8},
    {"Kelly", 6},    {"Lisa", 8},      {"Donna", 5},     {"Tracey", 5},    {"Julie", 6},
    {"Margaret", 6}, {"Patricia", 5},  {"Elizabeth", 8}, {"Jean", 4},      {"Dorothy", 3},
    {"Joan", 3},     {"Kathleen", 3},  {"Shirley", 3},   {"Pauline", 4},   {"Gemma", 6},
    {"Stacey", 5},   {"Danielle", 6},  {"Katie", 8},     {"Amy", 8},       {"Leanne", 5},
    {"Natalie", 6},  {"Victoria", 6},  {"Jade", 6},      {"Kirsty", 4},    {"Siobhan", 3},
    {"Ewa", 2},      {"Agnieszka", 2}, {"Olga", 2},      {"Chidinma", 2},  {"Adaeze", 2},
    {"Nadia", 3},
};
constexpr Weighted kMale[] = {
    {"Muhammad", 40},    {"Noah", 36},    {"Oliver", 34},  {"George", 32},   {"Leo", 30},
    {"Arthur", 28},      {"Oscar", 24},   {"Harry", 22},   {"Theodore", 20}, {"Archie", 20},
    {"Jack", 20},        {"Henry", 18},   {"Charlie", 18}, {"Freddie", 16},  {"Alfie", 16},
    {"Finley", 14},      {"Thomas", 16},  {"Jacob", 14},   {"Joshua", 12},   {"William", 14},
    {"James", 14},       {"Isaac", 12},   {"Lucas", 12},   {"Ethan", 10},    {"Alexander", 10},
    {"Edward", 10},      {"Max", 10},     {"Teddy", 10},   {"Reggie", 8},    {"Mohammed", 10},
    {"Ibrahim", 6},      {"Yusuf", 6},    {"Omar", 6},     {"Ali", 6},       {"Adam", 8},
    {"Ryan", 8},         {"Dylan", 6},    {"Rhys", 4},     {"Owen", 4},      {"Callum", 5},
    {"Liam", 6},         {"Connor", 5},   {"Kacper", 3},   {"Jakub", 3},     {"Arjun", 4},
    {"Rohan", 3},        {"Kwame", 2},    {"Chinedu", 2},  {"Daniel", 14},   {"Michael", 14},
    {"David", 16},       {"Paul", 12},    {"Mark", 12},    {"Andrew", 12},   {"Richard", 10},
    {"Christopher", 12}, {"Stephen", 10}, {"Robert", 10},  {"John", 14},     {"Peter", 8},
    {"Anthony", 8},      {"Matthew", 10}, {"Lee", 6},      {"Darren", 6},    {"Craig", 5},
    {"Gary", 6},         {"Kevin", 6},    {"Jason", 6},    {"Wayne", 5},     {"Dean", 5},
    {"Neil", 5},         {"Simon", 6},    {"Ian", 6},      {"Keith", 4},     {"Brian", 4},
    {"Kenneth", 3},      {"Ronald", 3},   {"Terence", 3},  {"Derek", 3},     {"Colin", 4},
    {"Graham", 4},       {"Shaun", 4},    {"Scott", 6},    {"Jamie", 8},     {"Luke", 8},
    {"Benjamin", 8},     {"Samuel", 10},  {"Nathan", 6},   {"Kieran", 5},    {"Tyler", 5},
    {"Jordan", 5},       {"Bradley", 5},  {"Aaron", 5},    {"Piotr", 2},     {"Tomasz", 2},
    {"Hassan", 3},       {"Bilal", 3},
};
constexpr Weighted kFamily[] = {
    {"Smith", 60},       {"Jones", 45},
    {"Williams", 36},    {"Taylor", 30},
    {"Brown", 30},       {"Davies", 28},
    {"Evans", 22},       {"Wilson", 20},
    {"Thomas", 20},      {"Johnson", 18},
    {"Roberts", 18},     {"Robinson", 16},
    {"Thompson", 16},    {"Wright", 16},
    {"Walker", 15},      {"White", 14},
    {"Edwards", 14},     {"Hughes", 14},
    {"Green", 14},       {"Hall", 14},
    {"Lewis", 13},       {"Harris", 13},
    {"Clarke", 13},      {"Patel", 14},
    {"Jackson", 12},     {"Wood", 12},
    {"Turner", 12},      {"Martin", 12},
    {"Cooper", 11},      {"Hill", 11},
    {"Ward", 11},        {"Morris", 11},
    {"Moore", 11},       {"Clark", 10},
    {"Lee", 10},         {"King", 10},
    {"Baker", 10},       {"Harrison", 10},
    {"Morgan", 10},      {"Allen", 9},
    {"James", 9},        {"Scott", 9},
    {"Phillips", 9},     {"Watson", 9},
    {"Davis", 8},        {"Parker", 8},
    {"Price", 8},        {"Bennett", 8},
    {"Young", 8},        {"Griffiths", 8},
    {"Mitchell", 8},     {"Kelly", 8},
    {"Cook", 8},         {"Carter", 8},
    {"Richardson", 7},   {"Bailey", 7},
    {"Collins", 7},      {"Bell", 7},
    {"Shaw", 7},         {"Murphy", 7},
    {"Miller", 7},       {"Cox", 7},
    {"Richards", 7},     {"Khan", 10},
    {"Marshall", 6},     {"Anderson", 6},
    {"Simpson", 6},      {"Ellis", 6},
    {"Adams", 6},        {"Singh", 8},
    {"Begum", 8},        {"Wilkinson", 6},
    {"Foster", 6},       {"Chapman", 6},
    {"Powell", 6},       {"Webb", 6},
    {"Rogers", 6},       {"Gray", 6},
    {"Mason", 6},        {"Ali", 7},
    {"Hunt", 6},         {"Hussain", 7},
    {"Campbell", 5},     {"Matthews", 5},
    {"Owen", 5},         {"Palmer", 5},
    {"Holmes", 5},       {"Mills", 5},
    {"Barnes", 5},       {"Knight", 5},
    {"Lloyd", 5},        {"Butler", 5},
    {"Russell", 5},      {"Barker", 5},
    {"Fisher", 5},       {"Stevens", 5},
    {"Jenkins", 5},      {"Murray", 5},
    {"Dixon", 5},        {"Harvey", 5},
    {"Graham", 4},       {"Pearson", 4},
    {"Ahmed", 6},        {"Fletcher", 4},
    {"Walsh", 4},        {"Kaur", 5},
    {"Gibson", 4},       {"Howard", 4},
    {"Andrews", 4},      {"Stewart", 4},
    {"Elliott", 4},      {"Reynolds", 4},
    {"Saunders", 4},     {"Payne", 4},
    {"Fox", 4},          {"Ford", 4},
    {"Pearce", 4},       {"Day", 4},
    {"Brooks", 4},       {"West", 4},
    {"Lawrence", 4},     {"Cole", 4},
    {"Atkinson", 4},     {"Bradley", 4},
    {"Spencer", 4},      {"Gill", 4},
    {"Dawson", 4},       {"Ball", 4},
    {"Burton", 4},       {"O'Brien", 3},
    {"Watts", 3},        {"Rose", 3},
    {"Booth", 3},        {"Perry", 3},
    {"Ryan", 3},         {"Grant", 3},
    {"Wells", 3},        {"Armstrong", 3},
    {"Francis", 3},      {"Rees", 3},
    {"Hayes", 3},        {"Hart", 3},
    {"Hudson", 3},       {"Newman", 3},
    {"Barrett", 3},      {"Webster", 3},
    {"Hunter", 3},       {"Gregory", 3},
    {"Carr", 3},         {"Lowe", 3},
    {"Page", 3},         {"Marsh", 3},
    {"Riley", 3},        {"Dunn", 3},
    {"Woods", 3},        {"Parsons", 3},
    {"Berry", 3},        {"Stone", 3},
    {"Reid", 3},         {"Holland", 3},
    {"Hawkins", 3},      {"Harding", 3},
    {"Porter", 3},       {"Robertson", 3},
    {"Newton", 3},       {"Oliver", 3},
    {"Reed", 3},         {"Kennedy", 3},
    {"Williamson", 3},   {"Bird", 3},
    {"Gardner", 3},      {"Shah", 3},
    {"Dean", 3},         {"Lane", 3},
    {"Cooke", 3},        {"Bates", 3},
    {"Henderson", 3},    {"Parry", 3},
    {"Burgess", 3},      {"Bishop", 3},
    {"Walton", 3},       {"Burns", 3},
    {"Nicholson", 3},    {"Shepherd", 3},
    {"Ross", 3},         {"Cross", 3},
    {"Long", 3},         {"Freeman", 3},
    {"Warren", 3},       {"Nicholls", 3},
    {"Hamilton", 3},     {"Byrne", 3},
    {"Sutton", 3},       {"McDonald", 3},
    {"Yates", 3},        {"Hodgson", 3},
    {"Robson", 3},       {"Curtis", 3},
    {"Hopkins", 3},      {"O'Connor", 3},
    {"Harper", 2},       {"Coleman", 2},
    {"Watkins", 2},      {"Moss", 2},
    {"McCarthy", 2},     {"Chambers", 2},
    {"O'Neill", 2},      {"Griffin", 2},
    {"Sharp", 2},        {"Hardy", 2},
    {"Wheeler", 2},      {"Potter", 2},
    {"Osborne", 2},      {"Johnston", 2},
    {"Gordon", 2},       {"Doyle", 2},
    {"Wallace", 2},      {"George", 2},
    {"Jordan", 2},       {"Hutchinson", 2},
    {"Rowe", 2},         {"Burke", 2},
    {"May", 2},          {"Pritchard", 2},
    {"Gilbert", 2},      {"Willis", 2},
    {"Higgins", 2},      {"Read", 2},
    {"Miah", 3},         {"Rahman", 3},
    {"Islam", 2},        {"Uddin", 2},
    {"Chowdhury", 2},    {"Nowak", 2},
    {"Kowalski", 2},     {"Wisniewski", 2},
    {"Okafor", 2},       {"Adeyemi", 2},
    {"Mensah", 2},       {"Nguyen", 2},
    {"Chen", 2},         {"Wang", 2},
    {"Kumar", 2},        {"Sharma", 2},
    {"Mistry", 2},       {"Mahmood", 2},
    {"Iqbal", 2},        {"Akhtar", 2},
    {"Rashid", 2},       {"Fernandes", 2},
    {"Da Silva", 2},     {"Smith-Jones", 1},
    {"Taylor-Brown", 1}, {"Lloyd-Williams", 1},
};
constexpr Weighted kAreas[] = {
    {"XA", 30}, {"XB", 24}, {"XC", 20}, {"XD", 14}, {"XE", 10}, {"XF", 8},
};
constexpr std::pair<std::string_view, std::string_view> kNicknames[] = {
    {"Thomas", "Tom"},        {"William", "Will"},   {"James", "Jim"},
    {"Alexander", "Alex"},    {"Benjamin", "Ben"},   {"Samuel", "Sam"},
    {"Daniel", "Dan"},        {"Michael", "Mike"},   {"Christopher", "Chris"},
    {"Matthew", "Matt"},      {"Joshua", "Josh"},    {"Jacob", "Jake"},
    {"Edward", "Ed"},         {"Richard", "Rich"},   {"Robert", "Rob"},
    {"Anthony", "Tony"},      {"Andrew", "Andy"},    {"Stephen", "Steve"},
    {"Nicholas", "Nick"},     {"Theodore", "Teddy"}, {"Frederick", "Freddie"},
    {"Charlotte", "Lottie"},  {"Elizabeth", "Beth"}, {"Isabella", "Bella"},
    {"Katie", "Kate"},        {"Rebecca", "Becky"},  {"Jessica", "Jess"},
    {"Margaret", "Maggie"},   {"Patricia", "Pat"},   {"Victoria", "Vicky"},
    {"Natalie", "Nat"},       {"Samantha", "Sam"},   {"Sophia", "Sophie"},
    {"Olivia", "Liv"},        {"Amelia", "Millie"},  {"Muhammad", "Mohammed"},
    {"Mohammed", "Muhammad"}, {"Kacper", "Kasper"},  {"Zofia", "Sophia"},
    {"Alfie", "Alfred"},
};

}  // namespace

std::string_view PickWeighted(Rng& rng, std::span<const Weighted> items) {
  int total = 0;
  for (const Weighted& item : items) total += item.weight;
  auto target = static_cast<int>(rng.Below(static_cast<std::uint64_t>(total)));
  for (const Weighted& item : items) {
    if (target < item.weight) return item.word;
    target -= item.weight;
  }
  return items.back().word;
}

std::span<const Weighted> FemaleGivenNames() { return kFemale; }
std::span<const Weighted> MaleGivenNames() { return kMale; }
std::span<const Weighted> FamilyNames() { return kFamily; }
std::span<const Weighted> PostcodeAreas() { return kAreas; }

std::string_view Nickname(std::string_view given_name) {
  for (const auto& [formal, informal] : kNicknames) {
    if (formal == given_name) return informal;
  }
  return given_name;
}

}  // namespace liaison::synth
